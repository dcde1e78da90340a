package dev.mamori.records;

/**
 * A bulk import of one category's records, keyed by employee number.
 *
 * @param category the category every row belongs to
 * @param format   {@code csv} (a header row; columns {@code subject} — or {@code employee_number},
 *                 {@code 社員番号} —, {@code scope}, {@code labels} and one per payload property) or
 *                 {@code jsonl} (one JSON object per line: {@code subject}, {@code scope}, {@code labels},
 *                 {@code payload})
 * @param charset  {@code auto} (UTF-8 with or without a byte order mark, else Windows-31J), {@code utf-8},
 *                 {@code shift_jis} or {@code windows-31j}; null means auto
 */
public record ImportRequest(String category, String format, String charset) {
}
