package dev.mamori.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A tenant's account, without its personal data (see {@link Profile}).
 *
 * @param id             opaque id; what everything else refers to
 * @param tenantId       the tenant
 * @param loginName      login name, unique in the tenant (a pseudonym once erased)
 * @param employeeNumber employee number, unique in the tenant (IAM-3); null once erased
 * @param roles          tenant roles ({@link Roles#TENANT_ROLES})
 * @param permissions    granted scoped permissions, e.g. {@code records:read:dept/sales} (IAM-2)
 * @param state          lifecycle state
 * @param locked         whether sign-in is locked after failures (IAM-9)
 * @param mfaEnrolled    whether a second factor is enrolled
 * @param createdAt      creation
 * @param updatedAt      last change
 */
public record User(String id, String tenantId, String loginName, String employeeNumber, Set<String> roles,
        Set<String> permissions, UserState state, boolean locked, boolean mfaEnrolled, Instant createdAt, Instant updatedAt) {
    /** Copies the sets. */
    public User {
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
    }
}
