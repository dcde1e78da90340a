package dev.mamori.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the API is waiting for while a bundle is swapped (EXT-1), and the requests that wait for it
 * instead of failing: a request that arrives while a required slot is unmet (its filter leaving or
 * not back yet), or while the resource for its path is leaving, coming back or not yet built into
 * the current generation, waits until that is over, up to the hold time. Only past it is it
 * answered 503 with Retry-After. Nothing answers 404 for a path whose resource is on its way back.
 *
 * <p>Everything missing counts as on its way back for the hold time after it went (or, at start,
 * after the server began): longer than that, it is gone (the bundle stopped, a plugin removed), so
 * requests are answered at once again - 503 for an unmet requirement, 404 for a path no resource
 * serves. A resource whose bundle was uninstalled is gone at once. A resource is recognised when it
 * comes back by its bundle and class.
 *
 * <p>A request waits without a container thread where the servlet container lets it
 * ({@link #park}: asynchronous servlet processing, woken by a dispatch when it may go on or its time
 * is up); elsewhere it holds its thread ({@link #await}). At most {@code maxHeld} wait at once, the
 * others are answered at once.
 */
final class Refilling {
    /** Why a request cannot be served yet. */
    enum Blocker {
        /** A required slot (or named filter) is unmet. */
        SLOTS,
        /** The resource for the path is leaving, coming back or being built in. */
        RESOURCE,
        /** The server is shutting down. */
        CLOSED
    }

    /** A resource's identity across its registrations: the same class from the same bundle. */
    record Key(long bundleId, String className) {
    }

    /** A resource service as far as waiting is concerned. */
    static final class Resource {
        final Key key;
        final Paths paths;
        final BooleanSupplier bundleGone;
        final Instant since;

        /**
         * @param key        its identity
         * @param paths      the paths it serves
         * @param bundleGone whether its bundle was uninstalled (then nobody waits for it)
         * @param since      when it arrived or left
         */
        Resource(Key key, Paths paths, BooleanSupplier bundleGone, Instant since) {
            this.key = key;
            this.paths = paths;
            this.bundleGone = bundleGone;
            this.since = since;
        }

        Resource at(Instant when) {
            return new Resource(key, paths, bundleGone, when);
        }
    }

    /**
     * What {@link #park} says.
     *
     * @param parked  true: the wake will say when and how to go on
     * @param blocker when not parked: null to go on now, else why not (answer now)
     */
    record Parking(boolean parked, Blocker blocker) {
    }

    /** A request waiting without a thread. */
    private static final class Parked {
        final String[] path;
        final Instant deadline;
        final Set<Key> awaited;
        final Consumer<Blocker> wake;
        /** When a recheck is scheduled for it. */
        Instant next;

        Parked(String[] path, Instant deadline, Set<Key> awaited, Consumer<Blocker> wake) {
            this.path = path;
            this.deadline = deadline;
            this.awaited = awaited;
            this.wake = wake;
        }
    }

    private final Object lock = new Object();
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final List<Parked> parked = new ArrayList<>();
    private final Supplier<List<String>> unmetSlots;
    private final Map<Long, Resource> registered = new HashMap<>();
    private final Map<Key, Resource> departed = new HashMap<>();
    private Set<Long> built = Set.of();
    private Instant slotsUnmetSince;
    private Duration hold;
    private int maxHeld;
    private int held;
    private boolean closed;
    /** When a filter, resource or requirement last came or went. */
    private Instant lastChange;

    /**
     * @param clock      the clock
     * @param timer      wakes parked requests whose time is up
     * @param unmetSlots the requirements no staying filter meets ({@link SlotFilters#missing()})
     * @param hold       the longest wait of a request, and how long something missing counts as coming back
     * @param maxHeld    most requests waiting at once
     */
    Refilling(Clock clock, ScheduledExecutorService timer, Supplier<List<String>> unmetSlots, Duration hold, int maxHeld) {
        this.clock = clock;
        this.timer = timer;
        this.unmetSlots = unmetSlots;
        this.hold = hold;
        this.maxHeld = maxHeld;
        this.slotsUnmetSince = clock.instant();
    }

    /** @param hold the longest wait @param maxHeld most requests waiting at once */
    void configure(Duration hold, int maxHeld) {
        List<Runnable> wakes;
        synchronized (lock) {
            this.hold = hold;
            this.maxHeld = maxHeld;
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /** @return the longest wait */
    Duration hold() {
        synchronized (lock) {
            return hold;
        }
    }

    /** The slot filters or the requirements changed. */
    void slotsChanged() {
        List<Runnable> wakes;
        synchronized (lock) {
            lastChange = clock.instant();
            boolean unmet = !unmetSlots.get().isEmpty();
            if (!unmet) {
                slotsUnmetSince = null;
            } else if (slotsUnmetSince == null) {
                slotsUnmetSince = clock.instant();
            }
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /**
     * A resource service arrived (or its properties changed): requests for its paths wait until
     * a generation serves it.
     */
    void arrived(long serviceId, Key key, Paths paths, BooleanSupplier bundleGone) {
        List<Runnable> wakes;
        synchronized (lock) {
            registered.put(serviceId, new Resource(key, paths, bundleGone, clock.instant()));
            lastChange = clock.instant();
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /**
     * A resource service is leaving: requests for its paths wait for its successor (same bundle and
     * class) to be served. Called before the requests under way are drained.
     */
    void departing(long serviceId) {
        List<Runnable> wakes;
        synchronized (lock) {
            Resource r = registered.remove(serviceId);
            if (r == null) {
                return;
            }
            lastChange = clock.instant();
            boolean another = registered.values().stream().anyMatch(o -> o.key.equals(r.key));
            if (!another) {
                departed.putIfAbsent(r.key, r.at(clock.instant()));
            }
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /**
     * A generation was installed.
     *
     * @param serviceIds the resource services it serves (empty: none)
     */
    void installed(Set<Long> serviceIds) {
        List<Runnable> wakes;
        synchronized (lock) {
            built = Set.copyOf(serviceIds);
            lastChange = clock.instant();
            for (Long id : serviceIds) {
                Resource r = registered.get(id);
                if (r != null) {
                    departed.remove(r.key);
                }
            }
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /** Wakes every waiting request, which is then answered 503; nothing waits afterwards. */
    void close() {
        List<Runnable> wakes;
        synchronized (lock) {
            closed = true;
            wakes = recheck();
        }
        wakes.forEach(Runnable::run);
    }

    /** @return requests waiting now */
    int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** @return when a request arriving now stops waiting at the latest */
    Instant deadline() {
        synchronized (lock) {
            return clock.instant().plus(hold);
        }
    }

    /**
     * @param path the path under the API ({@code /me}, {@code /users/42})
     * @return null when a request for it may be served now, else why not (without waiting)
     */
    Blocker blocker(String path) {
        synchronized (lock) {
            Wait w = blocker(Paths.segments(path), clock.instant(), new HashSet<>());
            return w == null ? null : w.blocker;
        }
    }

    /**
     * Waits while a request for this path cannot be served, up to its deadline.
     *
     * @param path     the path under the API ({@code /me}, {@code /users/42})
     * @param deadline from {@link #deadline()} when the request arrived
     * @return null when it may be served now; else why not, after waiting in vain (or at once when
     *         too many wait already)
     */
    Blocker await(String path, Instant deadline) {
        String[] segments = Paths.segments(path);
        // the resources waited for: if one lapses instead of coming back, the wait was in vain (503, not 404)
        Set<Key> awaited = new HashSet<>();
        synchronized (lock) {
            Instant now = clock.instant();
            Wait w = blocker(segments, now, awaited);
            if (w == null || w.blocker == Blocker.CLOSED || held >= maxHeld) {
                return w == null ? null : w.blocker;
            }
            held++;
            try {
                while (now.isBefore(deadline)) {
                    Instant wake = w.until.isBefore(deadline) ? w.until : deadline;
                    TimeUnit.MILLISECONDS.timedWait(lock, Math.max(1, Duration.between(now, wake).toMillis()));
                    now = clock.instant();
                    w = blocker(segments, now, awaited);
                    if (w == null) {
                        return served(awaited) ? null : Blocker.RESOURCE;
                    }
                    if (w.blocker == Blocker.CLOSED) {
                        return w.blocker;
                    }
                }
                return w.blocker;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return w.blocker;
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
     * @param deadline from {@link #deadline()} when the request arrived
     * @param wake     how to resume the request; must not block
     * @return whether it was parked, and if not whether it may go on now
     */
    Parking park(String path, Instant deadline, Consumer<Blocker> wake) {
        String[] segments = Paths.segments(path);
        Set<Key> awaited = new HashSet<>();
        Instant at;
        synchronized (lock) {
            Instant now = clock.instant();
            Wait w = blocker(segments, now, awaited);
            if (w == null) {
                return new Parking(false, null);
            }
            if (w.blocker == Blocker.CLOSED || held >= maxHeld || !now.isBefore(deadline) || timer == null) {
                return new Parking(false, w.blocker);
            }
            Parked p = new Parked(segments, deadline, awaited, wake);
            at = w.until.isBefore(deadline) ? w.until : deadline;
            p.next = at;
            parked.add(p);
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
        synchronized (lock) {
            Instant now = clock.instant();
            return !closed && lastChange != null && now.isBefore(lastChange.plus(hold)) && now.plus(pause).isBefore(deadline);
        }
    }

    /**
     * Lets a request pause without a thread before it tries again; {@code wake} is called with null
     * once the pause is over (or with {@link Blocker#CLOSED}).
     *
     * @return whether it was parked; if not, it may try again at once
     */
    boolean pause(Duration pause, Consumer<Blocker> wake) {
        Instant until;
        synchronized (lock) {
            if (closed || timer == null || held >= maxHeld) {
                return false;
            }
            until = clock.instant().plus(pause);
            Parked p = new Parked(null, until, Set.of(), wake);
            p.next = until;
            parked.add(p);
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

    /** A recheck when a lapse or a deadline comes, even if nothing changes until then. */
    private void schedule(Instant at) {
        try {
            // rounded up: a timer that fires a little early would find the request not yet due
            long micros = Math.max(0, Duration.between(clock.instant(), at).toNanos() / 1000);
            timer.schedule(() -> recheck().forEach(Runnable::run), micros + 1000, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: close() wakes every parked request
        }
    }

    /**
     * Under the lock, after any change: wakes the threads waiting in {@link #await} and collects
     * the parked requests that may go on, whose time is up, or that must stop.
     *
     * @return their wakes, to run once the lock is released
     */
    private List<Runnable> recheck() {
        if (!Thread.holdsLock(lock)) {
            synchronized (lock) {
                return recheck();
            }
        }
        lock.notifyAll();
        if (parked.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Runnable> wakes = new ArrayList<>();
        for (java.util.Iterator<Parked> it = parked.iterator(); it.hasNext();) {
            Parked p = it.next();
            Blocker result;
            Wait w = p.path == null ? null : blocker(p.path, now, p.awaited);
            if (p.path == null) {
                // a pause: over at its end
                if (!closed && now.isBefore(p.deadline)) {
                    if (!p.next.isAfter(now.plusMillis(2))) {
                        p.next = p.deadline;
                        schedule(p.deadline);
                    }
                    continue;
                }
                result = closed ? Blocker.CLOSED : null;
            } else if (w == null) {
                result = served(p.awaited) ? null : Blocker.RESOURCE;
            } else if (w.blocker == Blocker.CLOSED || !now.isBefore(p.deadline)) {
                result = w.blocker;
            } else {
                // still waiting: make sure a recheck comes by its next lapse or its deadline
                Instant next = w.until.isBefore(p.deadline) ? w.until : p.deadline;
                if (!p.next.isAfter(now.plusMillis(2)) || next.isBefore(p.next)) {
                    p.next = next;
                    schedule(next);
                }
                continue;
            }
            it.remove();
            held--;
            wakes.add(() -> p.wake.accept(result));
        }
        return wakes;
    }

    /** A reason to wait and when it lapses by itself (the thing missing counts as gone). */
    private record Wait(Blocker blocker, Instant until) {
    }

    /** Under the lock: whether every one of these resources is served by the current generation. */
    private boolean served(Set<Key> keys) {
        if (keys.isEmpty()) {
            return true;
        }
        Set<Key> serving = new HashSet<>();
        for (Long id : built) {
            Resource r = registered.get(id);
            if (r != null) {
                serving.add(r.key);
            }
        }
        return serving.containsAll(keys);
    }

    /** Under the lock; adds the keys of the resources that block the path to {@code awaited}. */
    private Wait blocker(String[] path, Instant now, Set<Key> awaited) {
        if (closed) {
            return new Wait(Blocker.CLOSED, now);
        }
        if (slotsUnmetSince != null) {
            Instant until = slotsUnmetSince.plus(hold);
            if (now.isBefore(until) && !unmetSlots.get().isEmpty()) {
                return new Wait(Blocker.SLOTS, until);
            }
        }
        Instant until = null;
        for (Map.Entry<Long, Resource> e : registered.entrySet()) {
            Resource r = e.getValue();
            if (!built.contains(e.getKey()) && r.paths.matches(path)) {
                Instant lapse = coming(r, now);
                if (lapse != null) {
                    awaited.add(r.key);
                    until = later(until, lapse);
                }
            }
        }
        List<Key> gone = new ArrayList<>();
        for (Resource r : departed.values()) {
            Instant lapse = coming(r, now);
            if (lapse == null) {
                gone.add(r.key);
            } else if (r.paths.matches(path)) {
                awaited.add(r.key);
                until = later(until, lapse);
            }
        }
        gone.forEach(departed::remove);
        return until == null ? null : new Wait(Blocker.RESOURCE, until);
    }

    /** @return until when a resource that arrived or left counts as on its way, or null if no longer */
    private Instant coming(Resource r, Instant now) {
        Instant until = r.since.plus(hold);
        return now.isBefore(until) && !r.bundleGone.getAsBoolean() ? until : null;
    }

    private static Instant later(Instant a, Instant b) {
        if (b == null) {
            return a;
        }
        return a == null || b.isAfter(a) ? b : a;
    }

    /** @return the keys departed and not yet back, for tests and the log */
    Set<Key> departed() {
        synchronized (lock) {
            return new HashSet<>(departed.keySet());
        }
    }
}
