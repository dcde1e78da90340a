package dev.mamori.auth;

import java.time.Instant;

/**
 * An operator or support account (OPS-1..3), bound to no tenant. No personal data is kept.
 *
 * @param id          opaque id
 * @param loginName   login name, unique on the platform
 * @param role        {@link Roles#OPERATOR} or {@link Roles#SUPPORT}
 * @param state       ACTIVE or DEACTIVATED
 * @param locked      locked after consecutive failures
 * @param mfaEnrolled has its (mandatory) second factor
 * @param createdAt   creation
 * @param updatedAt   last change
 */
public record PlatformAccount(String id, String loginName, String role, UserState state, boolean locked, boolean mfaEnrolled,
        Instant createdAt, Instant updatedAt) {
}
