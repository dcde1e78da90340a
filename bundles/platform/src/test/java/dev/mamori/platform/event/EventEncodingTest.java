package dev.mamori.platform.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;

/**
 * The canonical event encoding (issue #15 point 3, for the RFC 9162 leaves of issue #16): golden
 * bytes, RFC 8785 vectors, agreement with an independent JCS implementation, stability across the
 * JVM's defaults, and a decoder that accepts only canonical bytes.
 */
class EventEncodingTest {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final EventType FAILED = EventType.of("auth.sign-in.failed", "step", "reason");
    static final String AGENT = "Mozilla/5.0 \"quoted\" back\\slash \u00fc \u20ac \uD83D\uDE00";

    /** The golden entry, written out as the README's specification says, character for character. */
    static final String GOLDEN = "{\"actor\":{\"id\":\"u-1\",\"kind\":\"USER\",\"roles\":[\"admin\",\"employee\"]},\"channel\":\"REST\","
            + "\"clientIp\":\"192.0.2.10\",\"details\":{\"reason\":\"wrong-password\",\"step\":\"password\"},"
            + "\"id\":\"0193a0b2-7c00-7abc-8def-0123456789ab\",\"outcome\":\"FAILURE\",\"requestId\":\"req-12345678\","
            + "\"target\":{\"id\":\"u-1\",\"type\":\"user\"},\"tenant\":\"t-1\",\"time\":\"2026-11-29T09:00:00.123+09:00\","
            + "\"type\":\"auth.sign-in.failed\",\"userAgent\":\"Mozilla/5.0 \\\"quoted\\\" back\\\\slash \u00fc \u20ac \uD83D\uDE00\",\"v\":1}";
    /** SHA-256(0x00 ‖ GOLDEN as UTF-8), the RFC 9162 leaf hash, computed outside Java (Python hashlib). */
    static final String GOLDEN_LEAF = "bdeac59b378c29f9b7c4cc0ccab005fbac061edc8ec3f08970f6881c41103582";

    static MamoriEvent golden() {
        return new MamoriEvent(UUID.fromString("0193a0b2-7c00-7abc-8def-0123456789ab"), 1, "auth.sign-in.failed",
                OffsetDateTime.parse("2026-11-29T09:00:00.123+09:00"), "t-1", "u-1", PrincipalKind.USER, Set.of("employee", "admin"),
                "REST", "req-12345678", "192.0.2.10", AGENT, null, "user", "u-1", MamoriEvent.Outcome.FAILURE,
                Map.of("step", "password", "reason", "wrong-password"));
    }

    static byte[] leaf(byte[] entry) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        return sha.digest(entry);
    }

    @Test
    @DisplayName("AUD-3: the canonical bytes of an event are exactly the specified JCS text; its RFC 9162 leaf hash is the golden one")
    void goldenBytes() throws Exception {
        byte[] bytes = EventEncoding.encode(golden());
        assertEquals(GOLDEN, new String(bytes, StandardCharsets.UTF_8));
        assertArrayEquals(GOLDEN.getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(GOLDEN_LEAF, HexFormat.of().formatHex(leaf(bytes)));
    }

    @Test
    @DisplayName("AUD-2, AUD-6: a published event carries id, version, time in the configured zone, actor with roles, address and user agent")
    void builtEventEncodesEveryField() {
        Instant now = Instant.parse("2026-11-29T00:00:00.123456789Z");
        ExecutionContext ctx = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", "t-1", Set.of("employee", "admin")))
                .tenant("t-1").clientIp("192.0.2.10").userAgent(AGENT).requestId("req-12345678").build();
        MamoriEvent e = MamoriEvent.builder(FAILED).target("user", "u-1").outcome(MamoriEvent.Outcome.FAILURE)
                .detail("step", "password").detail("reason", "wrong-password").build(Clock.fixed(now, TOKYO), ctx);
        assertEquals(1, e.version());
        assertEquals(7, e.id().version());
        assertEquals(Instant.parse("2026-11-29T00:00:00.123Z"), e.at(), "kept to the millisecond, as the database keeps it");
        assertEquals(AGENT, e.userAgent().orElseThrow());
        assertEquals(Set.of("admin", "employee"), e.principalRoles());
        String expected = GOLDEN.replace("0193a0b2-7c00-7abc-8def-0123456789ab", e.id().toString());
        assertEquals(expected, EventEncoding.text(e));
    }

    @Test
    @DisplayName("AUD-3: absent values are left out, never written as null; an empty role set or detail map is left out too")
    void absentFieldsAreLeftOut() {
        MamoriEvent e = MamoriEvent.builder(EventType.of("test.thing.done")).build(Clock.fixed(Instant.EPOCH, TOKYO), null);
        assertEquals("{\"id\":\"" + e.id() + "\",\"outcome\":\"SUCCESS\",\"time\":\"1970-01-01T09:00:00.000+09:00\","
                + "\"type\":\"test.thing.done\",\"v\":1}", EventEncoding.text(e));
        MamoriEvent system = MamoriEvent.builder(EventType.of("test.thing.done"))
                .build(Clock.fixed(Instant.EPOCH, ZoneId.of("UTC")), ExecutionContext.system("vault.maintenance"));
        String text = EventEncoding.text(system);
        assertTrue(text.contains("\"actor\":{\"id\":\"vault.maintenance\",\"kind\":\"SYSTEM\"}"), text);
        assertTrue(text.contains("\"time\":\"1970-01-01T00:00:00.000+00:00\""), "UTC is +00:00, never Z: " + text);
        assertFalse(text.contains("null"), text);
    }

    @Test
    @DisplayName("AUD-3, AUD-6: the bytes do not depend on the JVM's default locale, zone or number digits")
    void stableAcrossJvmDefaults() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        Instant now = Instant.parse("2026-11-29T00:00:00.123Z");
        try {
            for (String tag : List.of("th-TH-u-nu-thai", "ar-SA-u-nu-arab", "hi-IN-u-nu-deva", "tr-TR", "ja-JP-u-ca-japanese")) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
                assertEquals(GOLDEN, new String(EventEncoding.encode(golden()), StandardCharsets.UTF_8), tag);
                MamoriEvent e = MamoriEvent.builder(FAILED).build(Clock.fixed(now, TOKYO), null);
                assertTrue(EventEncoding.text(e).contains("\"time\":\"2026-11-29T09:00:00.123+09:00\""), tag);
            }
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    @Test
    @DisplayName("RFC 8785 §3.2.2-3.2.4: the example's strings and literals give the RFC's bytes (its numbers are fractions, which events never hold)")
    void rfc8785Example() {
        // the RFC's input without its "numbers" member
        String input = "{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n  \"literals\": [null, true, false]\n}";
        // §3.2.4's UTF-8 bytes, less the bytes of "numbers":[...],
        String rfcHead = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c";
        String rfcTail = "22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";
        byte[] ours = Jcs.write(Jcs.parse(input.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        assertEquals(hex(rfcHead) + hex(rfcTail), HexFormat.of().formatHex(ours));
    }

    @Test
    @DisplayName("RFC 8785 §3.2.3: members sorted by UTF-16 code units, not by code points or locale")
    void rfc8785Sorting() {
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
                + "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
                + "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
                Jcs.write(Jcs.parse(input.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    @DisplayName("RFC 8785 test data of its authors (weird, french, unicode, arrays, simple string): the expected outputs")
    void rfc8785AuthorsTestData() {
        Map<String, String> vectors = new LinkedHashMap<>();
        vectors.put("{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n  \"\\u0080\": \"Control\\u007f\",\n  \"\\ud83d\\ude02\": \"Smiley\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
                + "  \"</script>\": \"Browser Challenge\"\n}\n",
                "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\uD83D\uDE02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
        vectors.put("{\n  \"peach\": \"This sorting order\",\n  \"p\u00e9ch\u00e9\": \"is wrong according to French\",\n"
                + "  \"p\u00eache\": \"but canonicalization MUST\",\n  \"sin\":   \"ingnore locale\"\n}\n",
                "{\"peach\":\"This sorting order\",\"p\u00e9ch\u00e9\":\"is wrong according to French\",\"p\u00eache\":\"but canonicalization MUST\","
                + "\"sin\":\"ingnore locale\"}");
        vectors.put("{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n", "{\"Unnormalized Unicode\":\"\u1e0d\u0307\"}");
        vectors.put("[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]", "[56,{\"1\":[],\"10\":null,\"d\":true}]");
        vectors.put("    \"this is a test string 1235\"", "\"this is a test string 1235\"");
        vectors.forEach((in, out) -> assertEquals(out, Jcs.write(Jcs.parse(in.getBytes(StandardCharsets.UTF_8))), in));
    }

    /** Random text with what JCS must get right: quotes, backslashes, controls, non-ASCII, surrogate pairs. */
    private static String randomText(Random r, int max, boolean controls) {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\u007f", "\u0080", "\u00e9", "\u20ac", "\ufb33", "\uffff", "\uD83D\uDE00",
            "\uD800\uDC00", "\u0000", "\u001f", "\n", "\t", "\u2028", "\u202e"};
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(max);
        while (b.length() < n) {
            String p = pieces[r.nextInt(pieces.length)];
            if (controls || MamoriEvent.firstBad(p) < 0) {
                b.append(p);
            }
        }
        return b.toString();
    }

    /** A non-canonical but equal JSON text: shuffled members, whitespace, every non-ASCII character as a \\u escape. */
    private static void messy(StringBuilder out, Object v, Random r) {
        if (v instanceof Map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) v).entrySet());
            Collections.shuffle(entries, r);
            out.append("{ ");
            for (int i = 0; i < entries.size(); i++) {
                out.append(i == 0 ? "" : " ,\n ");
                messy(out, entries.get(i).getKey(), r);
                out.append(" : ");
                messy(out, entries.get(i).getValue(), r);
            }
            out.append(" }");
        } else if (v instanceof List) {
            out.append("[ ");
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : " , ");
                messy(out, l.get(i), r);
            }
            out.append(" ]");
        } else if (v instanceof String) {
            out.append('"');
            for (char c : ((String) v).toCharArray()) {
                if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e || r.nextInt(8) == 0) {
                    out.append(String.format("\\u%04X", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else {
            out.append(v);
        }
    }

    @Test
    @DisplayName("RFC 8785: random events encode exactly as an independent JCS implementation canonicalizes any equal JSON text")
    void agreesWithAnIndependentImplementation() throws Exception {
        Random r = new Random(20261129);
        for (int i = 0; i < 2000; i++) {
            Set<String> roles = new TreeSet<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                roles.add("role" + r.nextInt(10));
            }
            Map<String, String> details = new TreeMap<>();
            for (int k = r.nextInt(5); k > 0; k--) {
                details.put("k" + r.nextInt(100) + (r.nextBoolean() ? "" : ".x-Y"), randomText(r, 40, false));
            }
            MamoriEvent e = new MamoriEvent(MamoriEvent.uuid7(r.nextLong() & 0xFFFF_FFFF_FFFFL), 1, "test.thing.done",
                    OffsetDateTime.parse("2026-11-29T09:00:00.123+09:00"), r.nextBoolean() ? null : randomText(r, 20, false),
                    "u-" + i, PrincipalKind.values()[r.nextInt(5)], roles, "REST", "req-" + i + "-abcdef",
                    r.nextBoolean() ? null : "2001:db8::" + i, MamoriEvent.clean(randomText(r, 80, true)), null, "user", "u-" + i,
                    MamoriEvent.Outcome.values()[r.nextInt(3)], details);
            byte[] ours = EventEncoding.encode(e);
            assertArrayEquals(new JsonCanonicalizer(new String(ours, StandardCharsets.UTF_8)).getEncodedUTF8(), ours);
            StringBuilder messy = new StringBuilder();
            messy(messy, Jcs.parse(ours), r);
            assertArrayEquals(ours, new JsonCanonicalizer(messy.toString()).getEncodedUTF8(), messy::toString);
            assertEquals(e, EventEncoding.decode(ours));
            assertThrows(IllegalArgumentException.class, () -> EventEncoding.decode(messy.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @DisplayName("AUD-3: decoding gives the event back, and accepts nothing but the canonical bytes of a valid version 1 event")
    void decodeIsStrict() {
        MamoriEvent g = golden();
        assertEquals(g, EventEncoding.decode(GOLDEN.getBytes(StandardCharsets.UTF_8)));
        List<String> refused = List.of(
                GOLDEN.replace("{\"actor\"", "{ \"actor\""),                                   // whitespace
                GOLDEN.replace("\"v\":1}", "\"v\":2}"),                                        // unknown schema version
                GOLDEN.replace("\"v\":1}", "\"v\":1.0}"),                                      // a fraction
                GOLDEN.replace("\"v\":1}", "\"v\":1,\"extra\":\"x\"}"),                        // unknown member
                GOLDEN.replace("\"v\":1}", "\"v\":1,\"v\":1}"),                                // duplicate member
                GOLDEN.replace("\"tenant\":\"t-1\",", "\"tenant\":null,"),                      // null for absent
                GOLDEN.replace("+09:00", "Z").replace("09:00:00.123", "00:00:00.123"),         // the same instant, written as UTC Z
                GOLDEN.replace(".123+", "+"),                                                  // no milliseconds
                GOLDEN.replace("\u20ac", "\\u20ac"),                                           // an escape JCS does not write
                GOLDEN.replace("\"kind\":\"USER\"", "\"kind\":\"ROOT\""),                      // unknown actor kind
                GOLDEN.replace("7abc", "4abc"),                                                // not a UUIDv7
                GOLDEN.replace("\"step\":\"password\"", "\"step\":\"pass\\nword\""),           // a line break in a value
                GOLDEN.replace("\"roles\":[\"admin\",\"employee\"]", "\"roles\":[\"employee\",\"admin\"]"), // unsorted roles
                GOLDEN.replace("\"roles\":[\"admin\",\"employee\"]", "\"roles\":[]"),          // empty instead of left out
                GOLDEN.replace("\u00fc", "\\ud800"));                                          // unpaired surrogate
        for (String s : refused) {
            assertThrows(IllegalArgumentException.class, () -> EventEncoding.decode(s.getBytes(StandardCharsets.UTF_8)), s);
        }
        byte[] latin1 = GOLDEN.getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalArgumentException.class, () -> EventEncoding.decode(latin1), "not UTF-8");
    }

    @Test
    @DisplayName("AUD-3: event ids are UUIDv7 (RFC 9562): version 7, variant 2, the event's milliseconds first, unique")
    void ids() {
        Set<UUID> seen = new java.util.HashSet<>();
        long millis = Instant.parse("2026-11-29T00:00:00.123Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            UUID id = MamoriEvent.uuid7(millis);
            assertEquals(7, id.version());
            assertEquals(2, id.variant());
            assertEquals(millis, id.getMostSignificantBits() >>> 16);
            assertTrue(seen.add(id), "unique");
        }
        assertTrue(MamoriEvent.uuid7(millis).compareTo(MamoriEvent.uuid7(millis + 1)) < 0, "ordered by time");
    }
}
