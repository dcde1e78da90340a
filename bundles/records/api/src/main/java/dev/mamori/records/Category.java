package dev.mamori.records;

import java.time.Instant;
import java.util.Optional;

/**
 * A tenant's record category (TEN-7: its own, never visible to other tenants).
 *
 * @param name          the name, unique in the tenant
 * @param title         what people call it
 * @param schema        the JSON Schema payloads must meet
 * @param retentionDays days kept after the last change (RET-5), or null
 * @param onErasure     what a person's erasure does to their records
 * @param version       1 at creation, one more per change
 * @param createdAt     creation
 * @param updatedAt     last change
 */
public record Category(String name, String title, String schema, Integer retentionDays, ErasurePolicy onErasure, long version,
        Instant createdAt, Instant updatedAt) {
    /** @return the retention in days, if the category has one */
    public Optional<Integer> retention() {
        return Optional.ofNullable(retentionDays);
    }
}
