package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

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

    /** 40 requests/s: a steady client below the default 50. */
    private static final Duration PACE = Duration.ofMillis(25);

    /** @return the arrivals of {@code n} requests from {@code from}, {@code pace} apart */
    private static List<Instant> arrivals(Instant from, int n, Duration pace) {
        List<Instant> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(from.plus(pace.multipliedBy(i)));
        }
        return a;
    }

    /** @return how many of the requests, counted in the given order by their arrivals, were refused */
    private static int refusals(RequestGuardImpl g, String ip, List<Instant> counted) {
        int refused = 0;
        for (Instant t : counted) {
            try {
                g.admit(ip, t);
            } catch (AuthException e) {
                assertEquals(AuthErrors.TOO_MANY_ATTEMPTS, e.errorCode());
                refused++;
            }
        }
        return refused;
    }

    /** @return the arrivals in the order threads racing after a hold might count them: each moved by up to {@code spread} places */
    private static List<Instant> jittered(List<Instant> arrivals, int spread, long seed) {
        Random random = new Random(seed);
        List<double[]> keyed = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            keyed.add(new double[] {i + random.nextDouble() * spread, i});
        }
        keyed.sort(Comparator.comparingDouble(k -> k[0]));
        List<Instant> out = new ArrayList<>();
        keyed.forEach(k -> out.add(arrivals.get((int) k[1])));
        return out;
    }

    @Test
    @DisplayName("SEC-12, EXT-1: a client sending 40 requests/s (limit 50) whose 216 requests of a 5.4 s hold are all counted when "
            + "it ends is never refused: they count by when they arrived, also when racing threads count them a little out of order")
    void steadyClientThroughAHold() {
        String ip = "203.0.113.9";
        for (long seed = 0; seed < 20; seed++) {
            RequestGuardImpl g = guard(Map.of());
            Instant start = clock.instant().plus(Duration.ofMinutes(seed));
            List<Instant> before = arrivals(start, 400, PACE);
            assertEquals(0, refusals(g, ip, before), "10 s counted as they came");
            List<Instant> held = arrivals(start.plus(PACE.multipliedBy(400)), 216, PACE);
            List<Instant> order = seed == 0 ? held : jittered(held, 60, seed);
            assertEquals(0, refusals(g, ip, order), "seed " + seed);
            // and on it goes at its pace
            assertEquals(0, refusals(g, ip, arrivals(start.plus(PACE.multipliedBy(616)), 400, PACE)), "seed " + seed);
        }
    }

    @Test
    @DisplayName("SEC-12, EXT-1: a client whose requests to one path wait through a 5.4 s hold while those to another are served "
            + "meanwhile is not refused when the held ones are counted (40/s in all)")
    void heldAndServedMeanwhile() {
        RequestGuardImpl g = guard(Map.of());
        String ip = "203.0.113.9";
        Instant start = clock.instant();
        List<Instant> live = new ArrayList<>();
        List<Instant> held = new ArrayList<>();
        for (Instant t : arrivals(start, 216, PACE)) {
            // one in four goes to a path that is not held
            (live.size() * 4 <= held.size() ? live : held).add(t);
        }
        assertEquals(0, refusals(g, ip, live), "counted as they came");
        assertEquals(0, refusals(g, ip, held), "counted together at the end");
        assertEquals(0, refusals(g, ip, arrivals(start.plus(PACE.multipliedBy(216)), 400, PACE)));
    }

    @Test
    @DisplayName("SEC-12, EXT-1: a flood stays a flood when it is counted late: 1000 requests within 1 s, all held and counted "
            + "at the end, get the burst and a second's refill, and what they spent stays spent")
    void floodDuringAHold() {
        RequestGuardImpl g = guard(Map.of());
        String ip = "198.51.100.7";
        Instant start = clock.instant();
        List<Instant> flood = arrivals(start, 1000, Duration.ofMillis(1));
        assertEquals(1000 - 249, refusals(g, ip, flood), "200 at once + 50/s for the 0.999 s it lasted");
        // what the flood spent stays spent: one more request is due 1 s after it began, not two
        g.admit(ip, start.plusSeconds(1));
        AuthException e = assertThrows(AuthException.class, () -> g.admit(ip, start.plusSeconds(1)));
        assertEquals(Optional.of(Duration.ofSeconds(1)), e.retryAfter());
        // its requests counted in any order: at most twice as many, never all
        for (long seed = 0; seed < 10; seed++) {
            RequestGuardImpl shuffled = guard(Map.of());
            List<Instant> order = new ArrayList<>(flood);
            java.util.Collections.shuffle(order, new Random(seed));
            int refused = refusals(shuffled, ip, order);
            assertTrue(refused >= 1000 - 2 * 250, "seed " + seed + ": " + refused + " refused");
        }
    }

    @Test
    @DisplayName("SEC-12: counted by arrival or as now, a request is the same: the old and the new way agree in order")
    void arrivalOrNow() {
        RequestGuardImpl byArrival = guard(Map.of("flood_burst", 10, "flood_requests_per_second", 4));
        RequestGuardImpl byNow = guard(Map.of("flood_burst", 10, "flood_requests_per_second", 4));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(100)));
            Instant now = clock.instant();
            boolean a = admitted(() -> byArrival.admit("192.0.2.1", now));
            boolean b = admitted(() -> byNow.admit("192.0.2.1"));
            assertEquals(b, a, "request " + i);
        }
    }

    private static boolean admitted(Runnable admit) {
        try {
            admit.run();
            return true;
        } catch (AuthException e) {
            return false;
        }
    }
}
