package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.testsupport.MutableClock;

/** SEC-12: the per-address flood limit (flood.burst at once, refilled at flood.requests.per.second), IPv6 by its /64. */
class RequestGuardImplTest {
    private final MutableClock clock = new MutableClock(AuthFixture.T0, AuthFixture.TOKYO);

    private RequestGuardImpl guard(Map<String, ?> config) {
        return new RequestGuardImpl(clock, AuthConfigs.of(config));
    }

    private static void admits(RequestGuardImpl g, String ip, int times) {
        for (int i = 0; i < times; i++) {
            g.admit(ip);
        }
    }

    private static AuthException refused(RequestGuardImpl g, String ip) {
        AuthException e = assertThrows(AuthException.class, () -> g.admit(ip), ip);
        assertEquals(AuthErrors.TOO_MANY_ATTEMPTS, e.errorCode());
        return e;
    }

    @Test
    @DisplayName("SEC-12: exactly flood.burst requests at once, then 429 with Retry-After; refilled at flood.requests.per.second, "
            + "up to the burst")
    void burstThenRate() {
        RequestGuardImpl g = guard(Map.of("flood_burst", 10, "flood_requests_per_second", 4));
        String ip = "198.51.100.7";
        admits(g, ip, 10);
        assertEquals(Optional.of(Duration.ofSeconds(1)), refused(g, ip).retryAfter(), "a quarter second, rounded up to a whole one");
        // 4 per second: a request every 250 ms
        clock.advance(Duration.ofMillis(125));
        refused(g, ip);
        clock.advance(Duration.ofMillis(125));
        admits(g, ip, 1);
        refused(g, ip);
        clock.advance(Duration.ofSeconds(1));
        admits(g, ip, 4);
        refused(g, ip);
        // a long pause fills the bucket to the burst, not beyond
        clock.advance(Duration.ofHours(1));
        admits(g, ip, 10);
        refused(g, ip);
        // another address has its own bucket
        admits(g, "198.51.100.8", 10);
    }

    @Test
    @DisplayName("SEC-12: the defaults - 200 requests at once, then 50 per second")
    void defaults() {
        RequestGuardImpl g = guard(Map.of());
        String ip = "203.0.113.9";
        admits(g, ip, 200);
        refused(g, ip);
        clock.advance(Duration.ofMillis(20));
        admits(g, ip, 1);
        refused(g, ip);
        clock.advance(Duration.ofSeconds(1));
        admits(g, ip, 50);
        refused(g, ip);
    }

    @Test
    @DisplayName("SEC-12: IPv6 clients of one /64 share one flood bucket; another /64 has its own; IPv4-mapped is IPv4")
    void ipv6Per64() {
        RequestGuardImpl g = guard(Map.of("flood_burst", 3, "flood_requests_per_second", 1));
        g.admit("2001:db8:1:2::1");
        g.admit("2001:db8:1:2::2");
        g.admit("2001:db8:1:2:ffff:ffff:ffff:ffff");
        refused(g, "2001:db8:1:2:abcd::9");
        refused(g, "2001:db8:1:2::1");
        admits(g, "2001:db8:1:3::1", 3);
        refused(g, "2001:db8:1:3::2");
        admits(g, "::ffff:192.0.2.1", 3);
        refused(g, "192.0.2.1");
    }
}
