package dev.mamori.audit.proof;

import java.nio.charset.StandardCharsets;

/**
 * The canonical bytes of an audit entry, the one thing a log hashes: the UTF-8 of
 * {@code {"event":<E>,"index":<i>,"log":"<L>"}}, where E is the event's RFC 8785 (JCS) object, i
 * the entry's index in its log and L the log's id (a tenant id or {@code platform}). The index and
 * the log are inside the hashed bytes so that an entry cannot be moved within its log or copied to
 * another one without its leaf hash changing. One definition here, shared by the writer and every
 * verifier, so that they cannot drift apart.
 */
public final class CanonicalEntry {
    private static final byte[] PREFIX = "{\"event\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INDEX = ",\"index\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOG = ",\"log\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Up to 18 digits, so that any index parses as a long. */
    private static final int MAX_DIGITS = 18;

    private CanonicalEntry() {
    }

    /**
     * @param log   the log's id (no quote, backslash or control character)
     * @param index the entry's index, from 0
     * @param event the event's canonical JSON object (JCS), without raw control characters
     * @return the entry's canonical bytes
     * @throws IllegalArgumentException if the parts cannot make an entry that {@link LogVerifier} reads back
     */
    public static byte[] canonical(String log, long index, String event) {
        if (!plainId(log)) {
            throw new IllegalArgumentException("A log id is a non-empty string without quotes, backslashes or control characters.");
        }
        if (index < 0 || String.valueOf(index).length() > MAX_DIGITS) {
            throw new IllegalArgumentException("An entry's index is 0 to 18 digits.");
        }
        if (event == null || event.length() < 2 || event.charAt(0) != '{' || event.charAt(event.length() - 1) != '}'
                || hasControl(event)) {
            throw new IllegalArgumentException("An event is a canonical JSON object without raw control characters.");
        }
        return ("{\"event\":" + event + ",\"index\":" + index + ",\"log\":\"" + log + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static boolean plainId(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }

    /**
     * What an entry's bytes say, or why they are no entry.
     *
     * @param index the embedded index (-1 if there is an error)
     * @param log   the embedded log id (null if there is an error)
     * @param error why the bytes are not an entry, or null
     */
    record Shape(long index, String log, String error) {
        static Shape bad(String error) {
            return new Shape(-1, null, error);
        }
    }

    /**
     * Reads the index and the log from the end: the event is opaque and may hold its own
     * {@code "index"} keys, but nothing after the event's closing brace can be the event's.
     *
     * @param b an entry's canonical bytes
     * @return what they say, or why they are not an entry
     */
    static Shape read(byte[] b) {
        int len = b.length;
        for (byte x : b) {
            if ((x & 0xff) < 0x20) {
                return Shape.bad("holds a raw control character");
            }
        }
        if (len < PREFIX.length + 1 + INDEX.length + 1 + LOG.length + 2 || !matches(b, 0, PREFIX) || b[len - 2] != '"' || b[len - 1] != '}') {
            return Shape.bad("is not {\"event\":{...},\"index\":<n>,\"log\":\"<id>\"}");
        }
        int logAt = lastIndexOf(b, LOG, len - 2 - LOG.length);
        if (logAt < 0) {
            return Shape.bad("names no log");
        }
        for (int k = logAt + LOG.length; k < len - 2; k++) {
            if (b[k] == '"' || b[k] == '\\') {
                return Shape.bad("names its log with an escaped string");
            }
        }
        int d = logAt;
        while (d > 0 && b[d - 1] >= '0' && b[d - 1] <= '9') {
            d--;
        }
        int digits = logAt - d;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && b[d] == '0')) {
            return Shape.bad("has no decimal index before its log");
        }
        int indexAt = d - INDEX.length;
        // the event is at least "{}": its '{' ends the prefix, its '}' comes right before ,"index":
        if (indexAt < PREFIX.length + 1 || !matches(b, indexAt, INDEX) || b[indexAt - 1] != '}') {
            return Shape.bad("has no event object before its index");
        }
        if (!utf8(b)) {
            return Shape.bad("is not UTF-8");
        }
        long index = 0;
        for (int k = d; k < logAt; k++) {
            index = index * 10 + (b[k] - '0');
        }
        return new Shape(index, new String(b, logAt + LOG.length, len - 2 - logAt - LOG.length, StandardCharsets.UTF_8), null);
    }

    /**
     * Whether the bytes are well-formed UTF-8 (Unicode's table 3-7: no overlong form, surrogate or
     * code point above U+10FFFF), as the JDK's decoder has it, without decoding them.
     */
    static boolean utf8(byte[] b) {
        int len = b.length;
        int i = 0;
        while (i < len) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                lo = c == 0xe0 ? 0xa0 : 0x80;
                hi = c == 0xed ? 0x9f : 0xbf;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                lo = c == 0xf0 ? 0x90 : 0x80;
                hi = c == 0xf4 ? 0x8f : 0xbf;
            } else {
                return false;
            }
            if (i + n >= len) {
                return false; // cut short
            }
            int c1 = b[i + 1] & 0xff;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int ck = b[i + k] & 0xff;
                if (ck < 0x80 || ck > 0xbf) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    private static boolean matches(byte[] b, int at, byte[] part) {
        if (at < 0 || at + part.length > b.length) {
            return false;
        }
        for (int k = 0; k < part.length; k++) {
            if (b[at + k] != part[k]) {
                return false;
            }
        }
        return true;
    }

    private static int lastIndexOf(byte[] b, byte[] part, int from) {
        for (int at = from; at >= 0; at--) {
            if (matches(b, at, part)) {
                return at;
            }
        }
        return -1;
    }
}
