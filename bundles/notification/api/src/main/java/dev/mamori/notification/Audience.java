package dev.mamori.notification;

import java.util.Objects;

/**
 * Who a notification is for; the people behind it are found when it is delivered, not when it is
 * queued (an admin added meanwhile is told, one who left is not), and their addresses are read
 * from the personal-data store only then.
 *
 * @param kind     what kind of audience
 * @param tenantId the tenant, for a tenant's audience; null for the operators
 * @param userId   the account, for {@link Kind#USER}
 */
public record Audience(Kind kind, String tenantId, String userId) {
    /** The kinds of audience. */
    public enum Kind {
        /** A tenant's active tenant admins. */
        TENANT_ADMINS,
        /** One account of a tenant. */
        USER,
        /** The platform's operators, at the addresses the configuration lists. */
        OPERATORS
    }

    public Audience {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.OPERATORS && (tenantId == null || tenantId.isBlank())) {
            throw new IllegalArgumentException("A tenant's audience names its tenant.");
        }
        if (kind == Kind.USER && (userId == null || userId.isBlank())) {
            throw new IllegalArgumentException("A user audience names the account.");
        }
    }

    /** @param tenantId the tenant @return its admins */
    public static Audience tenantAdmins(String tenantId) {
        return new Audience(Kind.TENANT_ADMINS, tenantId, null);
    }

    /** @param tenantId the tenant @param userId the account @return that account */
    public static Audience user(String tenantId, String userId) {
        return new Audience(Kind.USER, tenantId, userId);
    }

    /** @return the operators */
    public static Audience operators() {
        return new Audience(Kind.OPERATORS, null, null);
    }
}
