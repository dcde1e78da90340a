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
}
