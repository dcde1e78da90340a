package dev.mamori.records;

import java.util.List;

/**
 * One page of a search.
 *
 * @param items the records
 * @param next  the cursor of the next page, or null on the last
 */
public record RecordPage(List<Record> items, String next) {
    /** Copies the list. */
    public RecordPage {
        items = List.copyOf(items);
    }
}
