package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AUD-3 (issue #16): an audit entry's canonical bytes - written once, read back from the end, nothing else accepted")
class CanonicalEntryTest {
    @Test
    @DisplayName("the canonical form is {\"event\":E,\"index\":i,\"log\":\"L\"}; its index and log are read after the event, whatever keys the event holds")
    void roundTrip() {
        String event = "{\"details\":{\"index\":7,\"log\":\"x\"},\"note\":\",\\\"index\\\":9,\\\"log\\\":\\\"y\"}";
        byte[] b = CanonicalEntry.canonical("platform", 12, event);
        assertEquals("{\"event\":" + event + ",\"index\":12,\"log\":\"platform\"}", new String(b, StandardCharsets.UTF_8));
        CanonicalEntry.Shape s = CanonicalEntry.read(b);
        assertNull(s.error());
        assertEquals(12, s.index());
        assertEquals("platform", s.log());
        assertEquals(0, CanonicalEntry.read(CanonicalEntry.canonical("t", 0, "{}")).index());
    }

    @Test
    @DisplayName("control characters, another prefix, a leading zero, an escaped or missing log, a missing event or bad UTF-8 are no entry")
    void malformed() {
        for (String bad : List.of("{\"event\":{\"a\":\"\t\"},\"index\":1,\"log\":\"t\"}", "{\"event\":[1],\"index\":1,\"log\":\"t\"}",
                "{\"event\":{},\"index\":01,\"log\":\"t\"}", "{\"event\":{},\"index\":1,\"log\":\"t\\\"\"}", "{\"event\":{},\"index\":1}",
                "{\"event\":{},\"index\":,\"log\":\"t\"}", "{\"event\":{}\"index\":1,\"log\":\"t\"}", "{\"event\":{,\"index\":1,\"log\":\"t\"}",
                "{\"event\":{},\"index\":1,\"log\":\"t\"} ", "{\"event\":{},\"index\":1234567890123456789,\"log\":\"t\"}")) {
            assertNotNull(CanonicalEntry.read(bad.getBytes(StandardCharsets.UTF_8)).error(), bad);
        }
        byte[] latin = "{\"event\":{\"a\":\"\u00e9\"},\"index\":1,\"log\":\"t\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("is not UTF-8", CanonicalEntry.read(latin).error());
        assertThrows(IllegalArgumentException.class, () -> CanonicalEntry.canonical("a\"b", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalEntry.canonical("t", -1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalEntry.canonical("t", 1, "[]"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalEntry.canonical("t", 1, "{\"a\":\"\n\"}"));
    }

    @Test
    @DisplayName("UTF-8 is checked as the JDK's strict decoder checks it: overlong forms, surrogates, beyond U+10FFFF, cut sequences")
    void utf8AsTheJdk() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        int[] interesting = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
            0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff};
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[random.nextInt(1, 7)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertEquals(jdk, CanonicalEntry.utf8(b), () -> java.util.HexFormat.of().formatHex(b));
        }
        for (int cp = 0; cp <= 0x10ffff; cp += cp < 0x800 ? 1 : 7) {
            if (cp < 0xd800 || cp > 0xdfff) {
                assertEquals(true, CanonicalEntry.utf8(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)), "U+" + cp);
            }
        }
    }
}
