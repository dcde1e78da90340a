package dev.mamori.auth.internal;

import java.util.Optional;

import dev.mamori.auth.Roles;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/** Who may do what with a tenant's accounts: checked by every service method (SEC-11). */
final class Callers {
    private Callers() {
    }

    /**
     * A tenant admin of the bound tenant, an operator acting for the platform, or the platform
     * itself (support never: it sees metadata only, OPS-2).
     */
    static Principal requireAdmin(String tenantId) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.USER, PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        if (p.kind() == PrincipalKind.USER && !(ownTenant(p, tenantId) && p.hasRole(Roles.TENANT_ADMIN))) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Managing accounts needs the tenant-admin role.");
        }
        return p;
    }

    /**
     * A tenant admin of the bound tenant or the platform itself: changes an operator must not make
     * to a customer's accounts (OPS-2) — names, roles, permissions, state, erasure.
     */
    static Principal requireTenantAdminOrSystem(String tenantId) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.USER, PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        if (p.kind() == PrincipalKind.OPERATOR) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Operators do not change a tenant's accounts; its tenant admins do.");
        }
        if (p.kind() == PrincipalKind.USER && !(ownTenant(p, tenantId) && p.hasRole(Roles.TENANT_ADMIN))) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Managing accounts needs the tenant-admin role.");
        }
        return p;
    }

    /** @return whether the caller acts as an operator (not a tenant admin, not the platform itself) */
    static boolean operator() {
        return ExecutionContext.current().flatMap(ExecutionContext::principal).map(p -> p.kind() == PrincipalKind.OPERATOR)
                .orElse(false);
    }

    /** A tenant admin of the bound tenant only: the tenant's own decisions (allow-list, profiles). */
    static Principal requireTenantAdmin(String tenantId) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.USER);
        if (!(ownTenant(p, tenantId) && p.hasRole(Roles.TENANT_ADMIN))) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "This needs the tenant-admin role.");
        }
        return p;
    }

    /** Whether the caller is a tenant admin of the bound tenant. */
    static boolean isTenantAdmin(String tenantId) {
        Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
        return p.isPresent() && p.get().kind() == PrincipalKind.USER && ownTenant(p.get(), tenantId) && p.get().hasRole(Roles.TENANT_ADMIN);
    }

    /** Whether the caller is the account itself. */
    static boolean isSelf(String tenantId, String userId) {
        Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
        return p.isPresent() && p.get().kind() == PrincipalKind.USER && ownTenant(p.get(), tenantId) && p.get().id().equals(userId);
    }

    private static boolean ownTenant(Principal p, String tenantId) {
        return p.tenantId().map(tenantId::equals).orElse(false);
    }
}
