package dev.mamori.records;

/**
 * A category as a tenant admin defines it.
 *
 * @param name          1-40 characters of a-z, 0-9 and '-', starting with a letter (e.g. {@code health-checkup})
 * @param title         what people call it, 1-200 characters
 * @param schema        a JSON Schema (draft 2020-12 unless {@code $schema} names 2019-09 or 7) that every
 *                      payload must meet; local {@code $ref}s only
 * @param retentionDays days a record is kept after its last change before the retention rules move it
 *                      to the trash (RET-5); null keeps records until deleted
 * @param onErasure     what a person's erasure does to their records (null: {@link ErasurePolicy#DELETE})
 */
public record CategoryDefinition(String name, String title, String schema, Integer retentionDays, ErasurePolicy onErasure) {
}
