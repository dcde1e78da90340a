package dev.mamori.platform.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 JSON Canonicalization Scheme for the values events use: objects, arrays, strings,
 * integers, booleans and null — no fractions, whose ECMAScript number formatting is the one part of
 * JCS events never need. Writing: members sorted by the UTF-16 code units of their names
 * ({@link String#compareTo} is that order), no whitespace, strings escaped as ECMAScript's
 * {@code JSON.stringify} does, UTF-8. Reading: strict RFC 8259 JSON within I-JSON (RFC 7493): valid
 * UTF-8, no duplicate names, integers within ±(2^53−1), no unpaired surrogates.
 */
final class Jcs {
    /** The largest integer every I-JSON reader (IEEE 754 doubles) holds exactly. */
    static final long MAX_SAFE = (1L << 53) - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private Jcs() {
    }

    /** @return the JSON {@code null} as {@link #parse} returns it */
    static Object nullValue() {
        return NULL;
    }

    /** @param value a Map (String keys), List, String, Integer/Long, Boolean or null @return its canonical form */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    static void write(StringBuilder out, Object value) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof String) {
            string(out, (String) value);
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value).booleanValue() ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long) {
            long n = ((Number) value).longValue();
            if (n > MAX_SAFE || n < -MAX_SAFE) {
                throw new IllegalArgumentException("An integer beyond ±(2^53-1) has no exact JSON form: " + n);
            }
            out.append(n);
        } else if (value instanceof Map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                sorted.put((String) e.getKey(), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object o : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, o);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("No canonical JSON form for " + value.getClass().getName());
        }
    }

    /** A string as RFC 8785 §3.2.2.2 (ECMAScript's JSON.stringify) writes it. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            throw new IllegalArgumentException("An unpaired surrogate has no UTF-8 form (I-JSON).");
                        }
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /**
     * @param utf8 a JSON text
     * @return its value: Map (insertion-ordered), List, String, Long, Boolean or {@link #nullValue()}
     * @throws IllegalArgumentException if it is not JSON within I-JSON, or holds a number that is not an integer
     */
    static Object parse(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Not UTF-8.", e);
        }
        Parser p = new Parser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    /** A recursive-descent reader of RFC 8259 JSON. */
    private static final class Parser {
        private static final int MAX_DEPTH = 32;
        private final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Not canonical event JSON: " + what + " at character " + pos + ".");
        }

        void space() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deep");
            }
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", NULL);
                default:
                    if (c == '-' || c >= '0' && c <= '9') {
                        return number();
                    }
                    throw error("unexpected '" + c + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected literal");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            pos++;
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            space();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                space();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a member name");
                }
                String name = string();
                space();
                expect(':');
                space();
                Object v = value(depth + 1);
                if (m.put(name, v) != null) {
                    throw error("duplicate member '" + name + "'");
                }
                space();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> array(int depth) {
            pos++;
            List<Object> l = new ArrayList<>();
            space();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return Collections.unmodifiableList(l);
            }
            while (true) {
                space();
                l.add(value(depth + 1));
                space();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return Collections.unmodifiableList(l);
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    break;
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': b.append('"'); break;
                    case '\\': b.append('\\'); break;
                    case '/': b.append('/'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            cp = cp << 4 | d;
                        }
                        b.append((char) cp);
                        break;
                    default:
                        throw error("bad escape");
                }
            }
            String out = b.toString();
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw error("unpaired surrogate");
                }
            }
            return out;
        }

        private Long number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digits || s.charAt(digits) == '0' && pos - digits > 1) {
                throw error("bad number");
            }
            if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                throw error("a number that is not an integer (events hold none)");
            }
            if (pos - digits > 16) {
                throw error("integer beyond ±(2^53-1)");
            }
            long n = Long.parseLong(s.substring(start, pos));
            if (n > MAX_SAFE || n < -MAX_SAFE) {
                throw error("integer beyond ±(2^53-1)");
            }
            return n;
        }
    }
}
