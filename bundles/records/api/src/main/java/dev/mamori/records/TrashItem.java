package dev.mamori.records;

import java.time.Instant;

/**
 * A deleted record waiting in the tenant's trash (RET-2): metadata only, never the payload.
 *
 * @param recordId    the record
 * @param category    its category
 * @param subject     its subject
 * @param version     its version when deleted
 * @param deletedAt   when it was deleted
 * @param deletedBy   who deleted it (opaque id)
 * @param purgeAfter  when the automatic purge removes it for good
 */
public record TrashItem(String recordId, String category, String subject, long version, Instant deletedAt, String deletedBy,
        Instant purgeAfter) {
}
