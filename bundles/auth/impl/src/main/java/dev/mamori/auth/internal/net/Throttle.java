package dev.mamori.auth.internal.net;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Token buckets per key (a client address), in this node's memory (SEC-12): each key may spend
 * {@code capacity} tokens at once, refilled evenly over {@code period}. Bounded: past
 * {@code maxKeys} the least recently used key is forgotten, so a flood of addresses costs memory
 * once and no more. Each node limits on its own; behind n nodes the cluster allows n times as much.
 * Hand-written because the established limiter (Bucket4j) is no OSGi bundle, and a bucket is a few
 * lines.
 */
public final class Throttle {
    private final Object lock = new Object();
    private final int capacity;
    private final long periodNanos;
    private final Clock clock;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    /**
     * @param capacity tokens per key, at least 1
     * @param period   how long an empty bucket takes to fill again
     * @param maxKeys  most keys remembered
     * @param clock    time source
     */
    public Throttle(int capacity, Duration period, int maxKeys, Clock clock) {
        if (capacity < 1 || period.isNegative() || period.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("capacity >= 1, period > 0 and maxKeys >= 1 are needed");
        }
        this.capacity = capacity;
        this.periodNanos = period.toNanos();
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Spends one token of the key.
     *
     * @param key a client address
     * @return empty if there was a token; otherwise how long until there is one (nothing spent)
     */
    public Optional<Duration> take(String key) {
        return spend(key, true);
    }

    /**
     * @param key a client address
     * @return empty if the key has a token left; otherwise how long until it has (nothing spent)
     */
    public Optional<Duration> check(String key) {
        return spend(key, false);
    }

    /**
     * Gives back a token taken by {@link #take}: the attempt it was reserved for did not fail. Never
     * beyond the capacity; nothing if the key has been forgotten meanwhile.
     *
     * @param key a client address
     */
    public void give(String key) {
        long now = nanos();
        synchronized (lock) {
            Bucket b = buckets.get(key);
            if (b != null) {
                refill(b, now);
                b.tokens = Math.min(capacity, b.tokens + 1);
            }
        }
    }

    private void refill(Bucket b, long now) {
        long elapsed = Math.max(0, now - b.updatedNanos);
        b.tokens = Math.min(capacity, b.tokens + (double) elapsed * capacity / periodNanos);
        b.updatedNanos = now;
    }

    private Optional<Duration> spend(String key, boolean take) {
        long now = nanos();
        synchronized (lock) {
            Bucket b = buckets.get(key);
            if (b == null) {
                if (!take) {
                    return Optional.empty();
                }
                b = new Bucket();
                b.tokens = capacity;
                b.updatedNanos = now;
                buckets.put(key, b);
            }
            refill(b, now);
            if (b.tokens >= 1) {
                if (take) {
                    b.tokens -= 1;
                }
                return Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - b.tokens) * periodNanos / capacity);
            return Optional.of(Duration.ofNanos(waitNanos));
        }
    }

    /** @return keys remembered now */
    public int size() {
        synchronized (lock) {
            return buckets.size();
        }
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
