package dev.mamori.records;

import java.util.Set;

/**
 * What a caller writes: a new record, or the new content of one (category and subject cannot change;
 * delete and create instead).
 *
 * @param category the category's name
 * @param subject  the person's employee number (IAM-3), 1-64 printable characters
 * @param payload  a JSON object valid against the category's schema, at most 256 KiB as UTF-8
 * @param scope    who may see it beyond the category, e.g. {@code dept/sales} (IAM-2), or null for none
 * @param labels   tags to find it by, at most 20 of 1-64 characters of letters, digits, '.', '_', '-', '/'
 */
public record RecordDraft(String category, String subject, String payload, String scope, Set<String> labels) {
    /** Copies the labels. */
    public RecordDraft {
        labels = labels == null ? Set.of() : Set.copyOf(labels);
    }
}
