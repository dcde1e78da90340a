package dev.mamori.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;

/** Event types declared once with their detail keys (issue #15 point 3): nothing undeclared reaches the audit trail. */
class EventTypeTest {
    static final EventType FAILED = EventType.of("auth.sign-in.failed", "step", "reason");

    private static void withStrict(String value, Runnable work) {
        String before = System.getProperty(MamoriEvent.STRICT_PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(MamoriEvent.STRICT_PROPERTY);
            } else {
                System.setProperty(MamoriEvent.STRICT_PROPERTY, value);
            }
            work.run();
        } finally {
            if (before == null) {
                System.clearProperty(MamoriEvent.STRICT_PROPERTY);
            } else {
                System.setProperty(MamoriEvent.STRICT_PROPERTY, before);
            }
        }
    }

    @Test
    @DisplayName("AUD-1: in tests a detail under a key its type does not declare is refused (a name or an e-mail cannot slip in)")
    void undeclaredKeyRefusedInTests() {
        withStrict(null, () -> {
            // surefire runs with assertions on: that is what makes a test strict without any setting
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MamoriEvent.builder(FAILED).detail("email", "alice@example.com"));
            assertTrue(e.getMessage().contains("declares no detail 'email'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(FAILED).detail("email", null), "a typo is a typo, null or not");
        });
        withStrict("true", () -> assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(FAILED).detail("name", "Alice")));
    }

    @Test
    @DisplayName("AUD-1: in production an undeclared detail is left out and logged; the action and its event still happen")
    void undeclaredKeyLeftOutInProduction() {
        withStrict("false", () -> {
            MamoriEvent e = MamoriEvent.builder(FAILED).detail("step", "password").detail("email", "alice@example.com")
                    .build(Instant.EPOCH, null);
            assertEquals(Map.of("step", "password"), e.details());
            assertFalse(EventEncoding.text(e).contains("alice"));
        });
    }

    @Test
    @DisplayName("SEC-7: detail values are bounded tokens: no control or format characters, no line breaks, no unpaired surrogates")
    void valuesAreChecked() {
        EventType t = EventType.of("test.thing.done", "k");
        for (String bad : List.of("", "x".repeat(257), "a\nb", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "a\u202eb", "a\u200bb",
                "a\uD800b", "a\uDC00", "\u0000", "a\u007fb")) {
            assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(t).detail("k", bad), bad);
        }
        for (String good : List.of("x".repeat(256), "2001:db8::/32 192.0.2.0/24", "\u00e9t\u00e9 \uD83D\uDE00", "a\"b\\c")) {
            assertEquals(good, MamoriEvent.builder(t).detail("k", good).build(Instant.EPOCH, null).details().get("k"));
        }
        assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(t).tenant("t\n1"));
    }

    @Test
    @DisplayName("SEC-7, AUD-2: the caller's user agent is kept, on one line and cut to 256 characters, whatever the client sent")
    void userAgentIsCleaned() {
        ExecutionContext ctx = ExecutionContext.builder(Channel.REST).userAgent("curl/8.5\u202e\u2028evil\uD800" + "x".repeat(300)).build();
        MamoriEvent e = MamoriEvent.builder(FAILED).build(Instant.EPOCH, ctx);
        String ua = e.userAgent().orElseThrow();
        assertTrue(ua.startsWith("curl/8.5??evil?x"), ua);
        assertEquals(256, ua.length());
    }

    @Test
    @DisplayName("EXT-1: types are declared once, checked: names, keys, duplicates; a read's name ends in .read and only a read's does")
    void declarations() {
        assertEquals(List.of("reason", "step"), List.copyOf(FAILED.detailKeys()));
        assertTrue(FAILED.declares("step"));
        assertFalse(FAILED.declares("email"));
        assertFalse(FAILED.isRead());
        assertThrows(IllegalArgumentException.class, () -> EventType.of("auth.sign-in.failed", "step", "step"));
        assertThrows(IllegalArgumentException.class, () -> EventType.of("Auth.Failed"));
        assertThrows(IllegalArgumentException.class, () -> EventType.of("auth.profile.read"));
        assertThrows(IllegalArgumentException.class, () -> EventType.read("auth.profile.viewed"));
        EventType read = EventType.read("auth.profile.read");
        assertTrue(read.isRead());
        assertTrue(MamoriEvent.builder(read).build(Instant.EPOCH, null).isRead());
    }

    @Test
    @DisplayName("AUD-1: EventPublisher.read records a read of tenant data, and only with a read type")
    void readSeam() {
        List<MamoriEvent> published = new CopyOnWriteArrayList<>();
        EventPublisher events = b -> {
            MamoriEvent e = b.build(Instant.EPOCH, null);
            published.add(e);
            return e;
        };
        events.read(EventType.read("auth.profile.read"), "user", "u-1");
        assertEquals("auth.profile.read", published.get(0).type());
        assertEquals("u-1", published.get(0).targetId().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> events.read(FAILED, "user", "u-1"));
    }
}
