package dev.mamori.records;

import java.time.Instant;
import java.util.Set;

/**
 * A record, decrypted for a caller allowed to read it.
 *
 * @param id        opaque id
 * @param category  its category
 * @param subject   the person's employee number (IAM-3); a pseudonym once the person was erased
 * @param payload   the JSON payload
 * @param scope     the scope permission checks use, or null
 * @param labels    its labels
 * @param version   1 at creation, one more per change (the ETag)
 * @param createdAt creation
 * @param createdBy the account that created it (opaque id)
 * @param updatedAt last change
 * @param updatedBy the account that last changed it
 */
public record Record(String id, String category, String subject, String payload, String scope, Set<String> labels, long version,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    /** Copies the labels. */
    public Record {
        labels = Set.copyOf(labels);
    }
}
