package dev.mamori.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The requests waiting for what {@link Refilling} says is missing (EXT-1): each waits until that is
 * over, up to its deadline (the hold time after it arrived); only past it is it answered 503 with
 * Retry-After. A request that waited for a resource that then lapsed instead of coming back waited in
 * vain: 503 too, not 404.
 *
 * <p>A request waits without a container thread where the servlet container lets it ({@link #park}:
 * asynchronous servlet processing, woken by a dispatch when it may go on or its time is up); elsewhere
 * it holds its thread ({@link #await}). At most {@code maxHeld} wait at once; the others are answered
 * at once.
 */
final class Holds {
    /**
     * What {@link #park} says.
     *
     * @param parked  true: the wake will say when and how to go on
     * @param blocker when not parked: null to go on now, else why not (answer now)
     */
    record Parking(boolean parked, Refilling.Blocker blocker) {
    }

    /** A request waiting without a thread; a pause has no path. */
    private static final class Parked {
        final String[] path;
        final Instant deadline;
        final Set<Refilling.Key> awaited;
        final Consumer<Refilling.Blocker> wake;
        /** When a recheck is scheduled for it. */
        Instant next;

        Parked(String[] path, Instant deadline, Set<Refilling.Key> awaited, Consumer<Refilling.Blocker> wake, Instant next) {
            this.path = path;
            this.deadline = deadline;
            this.awaited = awaited;
            this.wake = wake;
            this.next = next;
        }
    }

    private final Object lock = new Object();
    private final Refilling refilling;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final List<Parked> parked = new ArrayList<>();
    private int maxHeld;
    private int held;

    /**
     * @param refilling what is missing; its changes wake the waiting requests
     * @param timer     wakes parked requests whose time is up (null: none park)
     * @param maxHeld   most requests waiting at once
     */
    Holds(Refilling refilling, ScheduledExecutorService timer, int maxHeld) {
        this.refilling = refilling;
        this.clock = refilling.clock();
        this.timer = timer;
        this.maxHeld = maxHeld;
        refilling.onChange(this::changed);
    }

    /** @param maxHeld most requests waiting at once */
    void configure(int maxHeld) {
        synchronized (lock) {
            this.maxHeld = maxHeld;
        }
    }

    /** @return requests waiting now */
    int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** @return the longest wait */
    Duration hold() {
        return refilling.hold();
    }

    /** @return now, by the clock deadlines are measured with: when a request arriving now arrived */
    Instant now() {
        return clock.instant();
    }

    /**
     * @param arrived when a request arrived ({@link #now()} then)
     * @return when it stops waiting at the latest
     */
    Instant deadline(Instant arrived) {
        return arrived.plus(refilling.hold());
    }

    /**
     * @param path the path under the API ({@code /me}, {@code /users/42})
     * @return null when a request for it may be served now, else why not (without waiting)
     */
    Refilling.Blocker blocker(String path) {
        Refilling.Wait w = refilling.check(Paths.segments(path), clock.instant(), new HashSet<>());
        return w == null ? null : w.blocker();
    }

    /**
     * Waits on the calling thread while a request for this path cannot be served, up to its deadline.
     *
     * @param path     the path under the API
     * @param deadline from {@link #deadline(Instant)}
     * @return null when it may be served now; else why not, after waiting in vain (or at once when
     *         too many wait already)
     */
    Refilling.Blocker await(String path, Instant deadline) {
        String[] segments = Paths.segments(path);
        // the resources waited for: if one lapses instead of coming back, the wait was in vain (503, not 404)
        Set<Refilling.Key> awaited = new HashSet<>();
        synchronized (lock) {
            Instant now = clock.instant();
            Refilling.Wait w = refilling.check(segments, now, awaited);
            if (w == null || w.blocker() == Refilling.Blocker.CLOSED || held >= maxHeld) {
                return w == null ? null : w.blocker();
            }
            held++;
            try {
                while (now.isBefore(deadline)) {
                    Instant wake = w.until().isBefore(deadline) ? w.until() : deadline;
                    TimeUnit.MILLISECONDS.timedWait(lock, Math.max(1, Duration.between(now, wake).toMillis()));
                    now = clock.instant();
                    w = refilling.check(segments, now, awaited);
                    if (w == null) {
                        return refilling.served(awaited) ? null : Refilling.Blocker.RESOURCE;
                    }
                    if (w.blocker() == Refilling.Blocker.CLOSED) {
                        return w.blocker();
                    }
                }
                return w.blocker();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return w.blocker();
            } finally {
                held--;
            }
        }
    }

    /**
     * Lets a request wait without a thread: when it may go on, or its deadline passed, {@code wake}
     * is called (on the thread that changed what it waits for, or the timer's) with null to go on,
     * else why not. Not called when not parked.
     *
     * @param path     the path under the API
     * @param deadline from {@link #deadline(Instant)}
     * @param wake     how to resume the request; must not block
     * @return whether it was parked, and if not whether it may go on now
     */
    Parking park(String path, Instant deadline, Consumer<Refilling.Blocker> wake) {
        String[] segments = Paths.segments(path);
        Set<Refilling.Key> awaited = new HashSet<>();
        Instant at;
        synchronized (lock) {
            Instant now = clock.instant();
            Refilling.Wait w = refilling.check(segments, now, awaited);
            if (w == null) {
                return new Parking(false, null);
            }
            if (w.blocker() == Refilling.Blocker.CLOSED || held >= maxHeld || !now.isBefore(deadline) || timer == null) {
                return new Parking(false, w.blocker());
            }
            at = w.until().isBefore(deadline) ? w.until() : deadline;
            parked.add(new Parked(segments, deadline, awaited, wake, at));
            held++;
        }
        schedule(at);
        return new Parking(true, null);
    }

    /**
     * @param deadline the request's deadline
     * @param pause    how long it would wait before trying again
     * @return whether a safe request that met an unavailable service may try again: something was
     *         swapped within the hold time, and the pause ends before its deadline
     */
    boolean mayRetry(Instant deadline, Duration pause) {
        return refilling.swappedLately() && clock.instant().plus(pause).isBefore(deadline);
    }

    /**
     * Lets a request pause without a thread before it tries again; {@code wake} is called with null
     * once the pause is over (or with {@link Refilling.Blocker#CLOSED}).
     *
     * @return whether it was parked; if not, it may try again at once
     */
    boolean pause(Duration pause, Consumer<Refilling.Blocker> wake) {
        Instant until;
        synchronized (lock) {
            if (timer == null || held >= maxHeld) {
                return false;
            }
            until = clock.instant().plus(pause);
            parked.add(new Parked(null, until, Set.of(), wake, until));
            held++;
        }
        schedule(until);
        return true;
    }

    /** Holds the calling thread for the pause (containers without asynchronous servlets); a change ends it early. */
    void sleep(Duration pause) {
        synchronized (lock) {
            try {
                TimeUnit.MILLISECONDS.timedWait(lock, Math.max(1, pause.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What is missing changed: wakes the waiting threads and the parked requests that may go on. */
    private void changed() {
        List<Runnable> wakes;
        synchronized (lock) {
            lock.notifyAll();
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /** A recheck when a lapse or a deadline comes, even if nothing changes until then. */
    private void schedule(Instant at) {
        try {
            // rounded up: a timer that fires a little early would find the request not yet due
            long micros = Math.max(0, Duration.between(clock.instant(), at).toNanos() / 1000);
            timer.schedule(this::changed, micros + 1000, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: Refilling.close() wakes every parked request
        }
    }

    /**
     * Under the lock: collects the parked requests that may go on, whose time is up, or that must
     * stop, and makes sure a recheck comes for the others by their next lapse or deadline.
     *
     * @return their wakes, to run once the lock is released
     */
    private List<Runnable> recheck() {
        if (parked.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        boolean closing = refilling.closed();
        List<Runnable> wakes = new ArrayList<>();
        for (Iterator<Parked> it = parked.iterator(); it.hasNext();) {
            Parked p = it.next();
            Refilling.Blocker result;
            if (p.path == null) {
                // a pause: over at its end
                if (!closing && now.isBefore(p.deadline)) {
                    keepWaiting(p, p.deadline, now);
                    continue;
                }
                result = closing ? Refilling.Blocker.CLOSED : null;
            } else {
                Refilling.Wait w = refilling.check(p.path, now, p.awaited);
                if (w == null) {
                    result = refilling.served(p.awaited) ? null : Refilling.Blocker.RESOURCE;
                } else if (w.blocker() == Refilling.Blocker.CLOSED || !now.isBefore(p.deadline)) {
                    result = w.blocker();
                } else {
                    keepWaiting(p, w.until().isBefore(p.deadline) ? w.until() : p.deadline, now);
                    continue;
                }
            }
            it.remove();
            held--;
            wakes.add(() -> p.wake.accept(result));
        }
        return wakes;
    }

    /** A recheck by {@code next}, unless one is already due no later. */
    private void keepWaiting(Parked p, Instant next, Instant now) {
        if (!p.next.isAfter(now.plusMillis(2)) || next.isBefore(p.next)) {
            p.next = next;
            schedule(next);
        }
    }
}
