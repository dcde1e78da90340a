package dev.mamori.audit;

import java.util.List;

/**
 * A page of a search.
 *
 * @param entries the entries, in index order
 * @param next    the cursor of the next page ({@link AuditQuery#after}), or -1 when this was the last
 */
public record AuditPage(List<AuditEntry> entries, long next) {
    /** Copies. */
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
