package dev.mamori.auth.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.testsupport.MutableClock;

/** SEC-12: per-address limits with a retry time, refilled over time, bounded in memory. */
class ThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T00:00:00Z"), ZoneId.of("Asia/Tokyo"));

    @Test
    @DisplayName("SEC-12: a key spends its capacity, then waits; other keys are not affected")
    void capacityThenWait() {
        Throttle t = new Throttle(5, Duration.ofMinutes(10), 100, clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), t.take("192.0.2.1"), "token " + i);
        }
        assertEquals(Optional.of(Duration.ofMinutes(2)), t.take("192.0.2.1"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), t.check("192.0.2.1"));
        assertEquals(Optional.empty(), t.take("192.0.2.2"));
        clock.advance(Duration.ofSeconds(119));
        assertTrue(t.check("192.0.2.1").isPresent());
        assertEquals(Optional.of(Duration.ofSeconds(1)), t.check("192.0.2.1"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), t.take("192.0.2.1"));
        assertTrue(t.take("192.0.2.1").isPresent(), "one token came back, one was spent");
    }

    @Test
    @DisplayName("SEC-12: checking spends nothing; a full period refills up to the capacity only")
    void checkAndRefill() {
        Throttle t = new Throttle(3, Duration.ofSeconds(30), 100, clock);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), t.check("a"));
        }
        assertEquals(0, t.size(), "checks remember nothing");
        t.take("a");
        t.take("a");
        t.take("a");
        clock.advance(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), t.take("a"));
        }
        assertTrue(t.take("a").isPresent());
    }

    @Test
    @DisplayName("SEC-12: a token given back (the attempt it was reserved for did not fail) can be taken again, never beyond the capacity")
    void giveBack() {
        Throttle t = new Throttle(2, Duration.ofMinutes(10), 100, clock);
        t.give("a");
        assertEquals(0, t.size(), "giving back to an unknown key remembers nothing");
        assertEquals(Optional.empty(), t.take("a"));
        assertEquals(Optional.empty(), t.take("a"));
        assertTrue(t.take("a").isPresent());
        t.give("a");
        assertEquals(Optional.empty(), t.take("a"), "the token given back");
        assertTrue(t.take("a").isPresent());
        t.give("a");
        t.give("a");
        t.give("a");
        assertEquals(Optional.empty(), t.take("a"));
        assertEquals(Optional.empty(), t.take("a"));
        assertTrue(t.take("a").isPresent(), "at most the capacity");
    }

    @Test
    @DisplayName("SEC-12: past maxKeys the least recently used address is forgotten")
    void bounded() {
        Throttle t = new Throttle(1, Duration.ofMinutes(1), 3, clock);
        t.take("a");
        t.take("b");
        t.take("c");
        assertTrue(t.take("a").isPresent(), "a is remembered and now most recent");
        t.take("d");
        assertEquals(3, t.size());
        assertEquals(Optional.empty(), t.take("b"), "b was the least recently used and was forgotten");
        assertTrue(t.take("a").isPresent());
    }
}
