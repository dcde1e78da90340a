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

    /**
     * The early check of a caller that then checks each thing's own scope (a list of records of many
     * scopes): whether the principal holds the permission in at least one scope.
     *
     * @param permission {@code domain:action}, without a scope, e.g. {@code records:read}
     * @return whether a grant of that domain and action exists, whatever its scope (false without a principal)
     * @since 2.2
     */
    boolean isPermittedInAnyScope(String permission);

    /**
     * @param permission {@code domain:action}, without a scope
     * @throws dev.mamori.platform.error.MamoriException kind UNAUTHENTICATED without a principal,
     *                                                   FORBIDDEN without the permission in any scope
     * @since 2.2
     */
    void checkInAnyScope(String permission);
}
