package dev.mamori.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks scoped permissions (IAM-2, SEC-11) of the principal in the execution context. Permissions
 * are Shiro wildcard permissions {@code domain:action:scope}, e.g. {@code records:read:dept/sales};
 * a tenant admin implicitly holds every {@code users:*} and {@code ip-allowlist:*} permission of
 * its own tenant. A scope of the form {@code <rule>/<argument>} may be resolved by a
 * {@link dev.mamori.auth.spi.ScopeRule} plugin.
 */
@ProviderType
public interface Authorizer {
    /**
     * @param permission a permission, e.g. {@code records:read:dept/sales}
     * @return whether the current principal holds it (false without a principal)
     */
    boolean isPermitted(String permission);

    /**
     * @param permission a permission
     * @throws dev.mamori.platform.error.MamoriException kind UNAUTHENTICATED without a principal,
     *                                                   FORBIDDEN without the permission
     */
    void check(String permission);
}
