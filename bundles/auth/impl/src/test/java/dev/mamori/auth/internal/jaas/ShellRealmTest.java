package dev.mamori.auth.internal.jaas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import dev.mamori.shell.spi.ShellLockdown;

@DisplayName("SEC-2, OPS-6: the shell realm lets nobody in while the shell is not locked down")
class ShellRealmTest {

    private static BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> "getBundleId".equals(m.getName()) ? 7L : null);
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> "getBundle".equals(m.getName()) ? bundle : "getBundles".equals(m.getName()) ? new Bundle[0] : null);
    }

    @Test
    void keysOnlyWhileLockedDown() {
        AtomicReference<Optional<String>> gap = new AtomicReference<>(Optional.empty());
        ShellRealm realm = new ShellRealm(context(), gap::get);
        AppConfigurationEntry[] locked = realm.getEntries();
        assertEquals(2, locked.length);
        assertEquals(MamoriLoginModule.class.getName(), locked[0].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals("org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule",
                locked[1].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));

        // asked at every sign-in: a gap that appears at runtime takes the key realm away at once
        gap.set(Optional.of("compulsory roles missing"));
        AppConfigurationEntry[] open = realm.getEntries();
        assertEquals(1, open.length, "only Mamori's own module, which refuses while the gap stands");
        assertEquals(MamoriLoginModule.class.getName(), open[0].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        gap.set(Optional.empty());
        assertEquals(2, realm.getEntries().length);
    }
}
