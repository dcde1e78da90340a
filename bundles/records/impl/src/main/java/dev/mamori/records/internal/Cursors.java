package dev.mamori.records.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Search cursors: the last row's change time (epoch ms) and id, as {@code <millis>.<id>}. */
final class Cursors {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15})\\.(" + Fields.ID.pattern() + ")");

    private Cursors() {
    }

    static String format(RecordStore.Cursor c) {
        return c.updatedAt() + "." + c.id();
    }

    /** @return the position, or null for none */
    static RecordStore.Cursor parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw Fields.invalid("after: pass the 'next' value of the previous page unchanged.");
        }
        return new RecordStore.Cursor(Long.parseLong(m.group(1)), m.group(2));
    }
}
