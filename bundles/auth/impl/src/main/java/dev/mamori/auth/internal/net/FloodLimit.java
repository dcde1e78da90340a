package dev.mamori.auth.internal.net;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-key request limit (SEC-12) by when requests arrived, not when they are counted: a
 * request held while a bundle is swapped (EXT-1) reaches the limit seconds after the client sent
 * it, together with everything that came meanwhile, and a client that sent them at its own pace
 * must not be refused for the server's pause. A flood stays a flood, however late it is counted.
 *
 * <p>The generic cell rate algorithm (virtual scheduling): per key a theoretical arrival time
 * (TAT); a request arriving at {@code t} conforms if {@code max(TAT, t) - t <= (burst - 1) * T},
 * and then moves TAT to {@code max(TAT, t) + T}, T being the interval between requests at the
 * sustained rate. For requests counted in the order they arrived this is exactly a token bucket
 * of {@code burst} tokens refilled at that rate.
 *
 * <p>Requests are not always counted in that order: held requests are let go together and race on
 * the container's threads, and a client's requests to paths that were not held are counted while
 * the held ones wait. One counted more than {@link #grace} after a later arrival of its key would
 * find TAT pushed past its own arrival by requests it came before, and be refused for them; it is
 * counted on a lane of its own instead, by the same rule in arrival order. So during a swap a key
 * may get up to twice its limit, which the REST layer's bound on held requests caps in turn.
 *
 * <p>Bounded: past {@code maxKeys} the least recently used key is forgotten, so a flood of
 * addresses costs memory once and no more. Each node limits on its own.
 */
public final class FloodLimit {
    /** The most a request may be counted out of order on the ordinary lane. */
    static final Duration MAX_GRACE = Duration.ofSeconds(1);
    private final Object lock = new Object();
    private final long intervalNanos;
    private final long toleranceNanos;
    private final long graceNanos;
    private final Map<String, Key> keys;

    /** What is remembered of a key: its two lanes and its latest arrival counted. */
    private static final class Key {
        long tat;
        long latest;
        long lateTat = Long.MIN_VALUE;
    }

    /**
     * @param burst   requests at once, at least 1
     * @param perSecond sustained requests per second, at least 1
     * @param maxKeys most keys remembered
     */
    public FloodLimit(int burst, int perSecond, int maxKeys) {
        if (burst < 1 || perSecond < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("burst >= 1, perSecond >= 1 and maxKeys >= 1 are needed");
        }
        this.intervalNanos = Math.max(1, 1_000_000_000L / perSecond);
        this.toleranceNanos = (burst - 1) * intervalNanos;
        // inversions up to half the tolerance cost a client at most half its burst on the ordinary lane
        this.graceNanos = Math.min(MAX_GRACE.toNanos(), toleranceNanos / 2);
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Key> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Counts one request of the key.
     *
     * @param key       a client address (its throttle key)
     * @param arrivedAt when the request arrived
     * @return empty if it conforms (then it is counted); otherwise how long after the key's latest
     *         arrival a new request would (nothing counted)
     */
    public Optional<Duration> admit(String key, Instant arrivedAt) {
        long t = nanos(arrivedAt);
        synchronized (lock) {
            Key k = keys.get(key);
            if (k == null) {
                k = new Key();
                k.tat = t;
                k.latest = t;
                keys.put(key, k);
            }
            boolean late = t < k.latest - graceNanos;
            k.latest = Math.max(k.latest, t);
            long tat = Math.max(late ? k.lateTat : k.tat, t);
            if (tat - t > toleranceNanos) {
                return Optional.of(retry(k));
            }
            if (late) {
                k.lateTat = tat + intervalNanos;
            } else {
                k.tat = tat + intervalNanos;
            }
            return Optional.empty();
        }
    }

    /** How long after the key's latest arrival the next request conforms on the ordinary lane: what to tell the client. */
    private Duration retry(Key k) {
        return Duration.ofNanos(Math.max(0, k.tat - toleranceNanos - k.latest));
    }

    /** @return keys remembered now */
    public int size() {
        synchronized (lock) {
            return keys.size();
        }
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
