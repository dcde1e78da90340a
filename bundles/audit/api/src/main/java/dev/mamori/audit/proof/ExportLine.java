package dev.mamori.audit.proof;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lines {@link ExportWriter} writes, strictly: each line is parsed, written again from
 * what was read, and must come out the same, so that no second reading of a line (other spacing,
 * escapes, member order, duplicate members) can exist beside the one verified. The JSON read is
 * only what the lines need: flat objects of strings, non-negative integers and arrays of strings.
 */
final class ExportLine {
    static final String ENTRY = "{\"canonical\":\"";
    static final String CHECKPOINT = "{\"kind\":\"checkpoint\",";
    static final String END = "{\"entries\":";
    private static final String ENTRY_KIND = ",\"kind\":\"entry\",\"leaf\":\"";
    private static final String INDEX = ",\"index\":";

    private ExportLine() {
    }

    record Header(String log, String origin, long from, List<byte[]> peaks, List<String> verifierKeys) {
    }

    /** @param index the line's index, -1 if unreadable @param canonical the bytes @param error why the line is bad, or null */
    record Entry(long index, byte[] canonical, byte[] leaf, String error) {
    }

    record CheckpointLine(long size, String note) {
    }

    record End(long entries, long size) {
    }

    /** @throws IllegalArgumentException if it is not exactly a header line */
    static Header header(String line) {
        Map<String, Object> m = flat(line);
        List<byte[]> peaks = new ArrayList<>();
        for (String p : strings(m, "peaks")) {
            peaks.add(Base64.getDecoder().decode(p));
        }
        Header h = new Header(string(m, "log"), string(m, "origin"), number(m, "from"), peaks, strings(m, "verifierKeys"));
        same(line, ExportWriter.header(h.log(), h.origin(), h.from(), h.peaks(), h.verifierKeys()));
        return h;
    }

    /** @return the entry, or why the line is not one */
    static Entry entry(String line) {
        long index = -1;
        byte[] leaf = null;
        int kindAt = line.lastIndexOf(ENTRY_KIND);
        int indexAt = kindAt < 0 ? -1 : line.lastIndexOf(INDEX, kindAt);
        if (line.endsWith("\"}") && kindAt >= 0 && indexAt >= 0) {
            String digits = line.substring(indexAt + INDEX.length(), kindAt);
            index = digits.matches("0|[1-9][0-9]{0,17}") ? Long.parseLong(digits) : -1;
            try {
                leaf = Base64.getDecoder().decode(line.substring(kindAt + ENTRY_KIND.length(), line.length() - 2));
            } catch (IllegalArgumentException e) {
                leaf = null;
            }
        }
        int b64End = line.indexOf('"', ENTRY.length());
        if (index < 0 || leaf == null || leaf.length != MerkleTree.HASH_SIZE || !line.startsWith(ENTRY) || b64End < 0) {
            return new Entry(index, null, null, "the entry line is not in the export's form");
        }
        byte[] canonical;
        try {
            canonical = Base64.getDecoder().decode(line.substring(ENTRY.length(), b64End));
            if (!ExportWriter.entry(index, canonical, leaf).equals(line)) {
                return new Entry(index, null, null, "its readable entry, index or encoding differs from its canonical bytes");
            }
        } catch (IllegalArgumentException e) {
            return new Entry(index, null, null, "its canonical bytes are not base64 of an entry");
        }
        return new Entry(index, canonical, leaf, null);
    }

    /** @throws IllegalArgumentException if it is not exactly a checkpoint line */
    static CheckpointLine checkpoint(String line) {
        Map<String, Object> m = flat(line);
        CheckpointLine c = new CheckpointLine(number(m, "size"), string(m, "note"));
        same(line, ExportWriter.checkpoint(c.size(), c.note()));
        return c;
    }

    /** @throws IllegalArgumentException if it is not exactly the end line */
    static End end(String line) {
        Map<String, Object> m = flat(line);
        End e = new End(number(m, "entries"), number(m, "size"));
        same(line, ExportWriter.trailer(e.entries(), e.size()));
        return e;
    }

    private static void same(String line, String rebuilt) {
        if (!rebuilt.equals(line)) {
            throw new IllegalArgumentException("the line is not in the export's exact form");
        }
    }

    private static String string(Map<String, Object> m, String key) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a string");
    }

    private static long number(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a number");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> m, String key) {
        if (m.get(key) instanceof List<?> l) {
            return (List<String>) l;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a list of strings");
    }

    /**
     * @param s a JSON object with string, non-negative integer and string-array members, no whitespace
     * @return its members in order
     * @throws IllegalArgumentException if it is anything else
     */
    static Map<String, Object> flat(String s) {
        int[] at = {0};
        Map<String, Object> m = new LinkedHashMap<>();
        expect(s, at, '{');
        if (peek(s, at) == '}') {
            at[0]++;
        } else {
            do {
                String key = str(s, at);
                expect(s, at, ':');
                char c = peek(s, at);
                Object v;
                if (c == '"') {
                    v = str(s, at);
                } else if (c == '[') {
                    v = array(s, at);
                } else {
                    v = integer(s, at);
                }
                if (m.put(key, v) != null) {
                    throw new IllegalArgumentException("member \"" + key + "\" twice");
                }
            } while (next(s, at, ','));
            expect(s, at, '}');
        }
        if (at[0] != s.length()) {
            throw new IllegalArgumentException("text after the object");
        }
        return m;
    }

    private static List<String> array(String s, int[] at) {
        expect(s, at, '[');
        List<String> out = new ArrayList<>();
        if (!next(s, at, ']')) {
            do {
                out.add(str(s, at));
            } while (next(s, at, ','));
            expect(s, at, ']');
        }
        return out;
    }

    private static long integer(String s, int[] at) {
        int start = at[0];
        while (at[0] < s.length() && Character.isDigit(s.charAt(at[0])) && s.charAt(at[0]) < 0x80) {
            at[0]++;
        }
        String digits = s.substring(start, at[0]);
        if (!digits.matches("0|[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("not a number at " + start);
        }
        return Long.parseLong(digits);
    }

    private static String str(String s, int[] at) {
        expect(s, at, '"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = peek(s, at);
            at[0]++;
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("raw control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = peek(s, at);
            at[0]++;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (at[0] + 4 > s.length()) {
                        throw new IllegalArgumentException("short \\u escape");
                    }
                    b.append((char) Integer.parseInt(s.substring(at[0], at[0] + 4), 16));
                    at[0] += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
    }

    private static char peek(String s, int[] at) {
        if (at[0] >= s.length()) {
            throw new IllegalArgumentException("the line ends early");
        }
        return s.charAt(at[0]);
    }

    private static void expect(String s, int[] at, char c) {
        if (peek(s, at) != c) {
            throw new IllegalArgumentException("'" + c + "' expected at " + at[0]);
        }
        at[0]++;
    }

    private static boolean next(String s, int[] at, char c) {
        if (at[0] < s.length() && s.charAt(at[0]) == c) {
            at[0]++;
            return true;
        }
        return false;
    }
}
