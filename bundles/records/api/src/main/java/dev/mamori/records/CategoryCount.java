package dev.mamori.records;

/**
 * How many records a tenant holds in a category: metadata support staff may see (OPS-1, OPS-2).
 *
 * @param category the category
 * @param live     records in normal views
 * @param trashed  records in the trash
 */
public record CategoryCount(String category, long live, long trashed) {
}
