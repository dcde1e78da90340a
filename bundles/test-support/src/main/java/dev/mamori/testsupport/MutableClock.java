package dev.mamori.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves: 30-day, 90-day and 12-month rules without waiting. Starts at the real time. */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** @param zone the zone times are shown in */
    public MutableClock(ZoneId zone) {
        this(Instant.now(), zone);
    }

    /**
     * @param start the first instant
     * @param zone  the zone
     */
    public MutableClock(Instant start, ZoneId zone) {
        this.now = new AtomicReference<>(start);
        this.zone = zone;
    }

    /** @param by how far @return the new time */
    public Instant advance(Duration by) {
        return now.updateAndGet(t -> t.plus(by));
    }

    /** @param to the new time */
    public void set(Instant to) {
        now.set(to);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        MutableClock c = new MutableClock(now.get(), other);
        return c;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
