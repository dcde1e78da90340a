package dev.mamori.records;

import java.time.Instant;

/**
 * A search of the caller's visible records, newest change first. Every criterion is optional.
 *
 * @param subject      an employee number
 * @param category     a category name
 * @param label        a label the record carries
 * @param updatedFrom  changed at or after
 * @param updatedUntil changed before
 * @param after        the {@link RecordPage#next()} of the previous page, or null for the first
 * @param limit        1-200 records per page
 */
public record RecordQuery(String subject, String category, String label, Instant updatedFrom, Instant updatedUntil, String after,
        int limit) {
    /** The largest page. */
    public static final int MAX_LIMIT = 200;

    /** @return everything visible, first page of 50 */
    public static RecordQuery all() {
        return new RecordQuery(null, null, null, null, null, null, 50);
    }
}
