package dev.mamori.auth;

import java.util.Set;

/** The role names Mamori knows. Tenant roles belong to a tenant's users, platform roles to no tenant. */
public final class Roles {
    /** A tenant's ordinary user: sees their own data. */
    public static final String EMPLOYEE = "employee";
    /** Sees other people's data within granted scopes (e.g. occupational-health staff). */
    public static final String REVIEWER = "reviewer";
    /** Manages the tenant's users, scopes and IP allow-list. */
    public static final String TENANT_ADMIN = "tenant-admin";
    /** Runs the platform (OPS-1). */
    public static final String OPERATOR = "operator";
    /** Reads tenant metadata for troubleshooting, never record contents (OPS-1, OPS-2). */
    public static final String SUPPORT = "support";

    /** Roles a tenant's user may hold. */
    public static final Set<String> TENANT_ROLES = Set.of(EMPLOYEE, REVIEWER, TENANT_ADMIN);
    /** Roles bound to no tenant. */
    public static final Set<String> PLATFORM_ROLES = Set.of(OPERATOR, SUPPORT);
    /** Roles whose holders need the stronger password rules and must use MFA (IAM-6, IAM-10). */
    public static final Set<String> PRIVILEGED_ROLES = Set.of(TENANT_ADMIN, OPERATOR, SUPPORT);

    private Roles() {
    }

    /**
     * @param roles an account's roles
     * @return whether any of them is privileged
     */
    public static boolean privileged(Set<String> roles) {
        return roles.stream().anyMatch(PRIVILEGED_ROLES::contains);
    }
}
