package dev.mamori.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * A legal hold: while it is in force, what it covers is never deleted, moved to the trash or purged
 * by any rule.
 *
 * @param id            opaque id
 * @param tenantId      the tenant
 * @param scope         what it covers
 * @param value         the category's name or the employee number; null for {@link HoldScope#TENANT}
 * @param reason        why (a case number, a request), as given
 * @param placedBy      the account that placed it (an opaque id)
 * @param placedAt      when
 * @param releasedBy    the account that released it, or null while in force
 * @param releasedAt    when, or null
 * @param releaseReason why it was released, or null
 */
public record LegalHold(String id, String tenantId, HoldScope scope, String value, String reason, String placedBy, Instant placedAt,
        String releasedBy, Instant releasedAt, String releaseReason) {
    /** Checks the required parts. */
    public LegalHold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(placedBy, "placedBy");
        Objects.requireNonNull(placedAt, "placedAt");
    }

    /** @return whether it is in force */
    public boolean inForce() {
        return releasedAt == null;
    }
}
