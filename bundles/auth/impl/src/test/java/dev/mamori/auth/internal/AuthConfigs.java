package dev.mamori.auth.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link AuthConfig} instances for tests: the annotation's defaults, bcrypt cost 10, and overrides by attribute name. */
final class AuthConfigs {
    private AuthConfigs() {
    }

    /** @return the defaults, but bcrypt cost 10 (the floor) to keep the tests fast */
    static AuthConfig defaults() {
        return of(Map.of());
    }

    /**
     * @param overrides attribute name (e.g. {@code lockout_minutes}) to value
     * @return the configuration
     */
    static AuthConfig of(Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("bcrypt_cost", 10);
        values.putAll(overrides);
        for (String name : values.keySet()) {
            try {
                AuthConfig.class.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("AuthConfig has no attribute " + name, e);
            }
        }
        return (AuthConfig) Proxy.newProxyInstance(AuthConfig.class.getClassLoader(), new Class<?>[] {AuthConfig.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return AuthConfig.class;
                        case "toString":
                            return "AuthConfig" + values;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object d = method.getDefaultValue();
                    if (d == null) {
                        throw new IllegalStateException("AuthConfig." + method.getName() + " has no default");
                    }
                    return d;
                });
    }
}
