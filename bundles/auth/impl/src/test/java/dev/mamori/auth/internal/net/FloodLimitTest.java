package dev.mamori.auth.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.testsupport.MutableClock;

/** SEC-12: the flood limit by arrival time: a token bucket for requests counted in order, bounded in memory. */
class FloodLimitTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T00:00:00Z"), ZoneId.of("Asia/Tokyo"));

    @Test
    @DisplayName("SEC-12: counted in the order they arrive, requests get exactly the token bucket's answers (burst 10, 4/s)")
    void inOrderItIsTheTokenBucket() {
        FloodLimit limit = new FloodLimit(10, 4, 100);
        // the bucket of 10 tokens refilled over 2.5 s, as the flood limit was before
        Throttle bucket = new Throttle(10, Duration.ofMillis(2500), 100, clock);
        Random random = new Random(11);
        int admitted = 0;
        for (int i = 0; i < 5000; i++) {
            // arrivals on a 62.5 ms grid: a quarter token, exact in the bucket's arithmetic too
            int steps = random.nextInt(5) == 0 ? random.nextInt(80) : random.nextInt(3);
            clock.advance(Duration.ofNanos(62_500_000L * steps));
            boolean byBucket = bucket.take("k").isEmpty();
            Optional<Duration> wait = limit.admit("k", clock.instant());
            assertEquals(byBucket, wait.isEmpty(), "request " + i);
            admitted += byBucket ? 1 : 0;
        }
        assertTrue(admitted > 1000 && admitted < 4900, "both answers were tried: " + admitted);
    }

    @Test
    @DisplayName("SEC-12: a refusal says when the next request would be admitted")
    void retryAfter() {
        FloodLimit limit = new FloodLimit(3, 2, 100);
        Instant t = clock.instant();
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limit.admit("k", t));
        }
        assertEquals(Optional.of(Duration.ofMillis(500)), limit.admit("k", t));
        assertEquals(Optional.of(Duration.ofMillis(100)), limit.admit("k", t.plusMillis(400)));
        assertEquals(Optional.empty(), limit.admit("k", t.plusMillis(500)));
    }

    @Test
    @DisplayName("SEC-12: at most maxKeys keys are remembered; the least recently used is forgotten")
    void boundedKeys() {
        FloodLimit limit = new FloodLimit(1, 1, 3);
        Instant t = clock.instant();
        limit.admit("a", t);
        limit.admit("b", t);
        limit.admit("c", t);
        assertTrue(limit.admit("a", t).isPresent(), "a is remembered (and now the most recently used)");
        limit.admit("d", t);
        assertEquals(3, limit.size());
        assertTrue(limit.admit("a", t).isPresent(), "a is still remembered");
        assertEquals(Optional.empty(), limit.admit("b", t), "b was forgotten: a new key");
    }
}
