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
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the API is missing while a bundle is swapped (EXT-1): a required slot that is unmet (its filter
 * leaving or not back yet), or the resource for a path that is leaving, coming back or not yet built
 * into the current generation. {@link Holds} lets requests wait for it; this says what they wait for.
 *
 * <p>Everything missing counts as on its way back for the hold time after it went (or, at start,
 * after the server began): longer than that, it is gone (the bundle stopped, a plugin removed), so
 * requests are answered at once again - 503 for an unmet requirement, 404 for a path no resource
 * serves. A resource whose bundle was uninstalled is gone at once. A resource is recognised when it
 * comes back by its bundle and class.
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

    /**
     * A reason to wait and when it lapses by itself (the thing missing counts as gone).
     *
     * @param blocker why
     * @param until   when it lapses
     */
    record Wait(Blocker blocker, Instant until) {
    }

    /** A resource service as far as waiting is concerned: its identity, paths, and since when it arrived or left. */
    private record Resource(Key key, Paths paths, BooleanSupplier bundleGone, Instant since) {
        Resource at(Instant when) {
            return new Resource(key, paths, bundleGone, when);
        }
    }

    private final Object lock = new Object();
    private final Clock clock;
    private final Supplier<List<String>> unmetSlots;
    private final Map<Long, Resource> registered = new HashMap<>();
    private final Map<Key, Resource> departed = new HashMap<>();
    private Set<Long> built = Set.of();
    private Instant slotsUnmetSince;
    private Duration hold;
    private boolean closed;
    /** When a filter, resource or requirement last came or went. */
    private Instant lastChange;
    private volatile Runnable onChange = () -> { };

    /**
     * @param clock      the clock
     * @param unmetSlots the requirements no staying filter meets ({@link SlotFilters#missing()})
     * @param hold       how long something missing counts as coming back (and the longest wait)
     */
    Refilling(Clock clock, Supplier<List<String>> unmetSlots, Duration hold) {
        this.clock = clock;
        this.unmetSlots = unmetSlots;
        this.hold = hold;
        this.slotsUnmetSince = clock.instant();
    }

    /** @param listener told after every change, outside this object's lock */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** @return the clock */
    Clock clock() {
        return clock;
    }

    /** @param hold how long something missing counts as coming back, and the longest wait */
    void configure(Duration hold) {
        synchronized (lock) {
            this.hold = hold;
        }
        onChange.run();
    }

    /** @return the longest wait */
    Duration hold() {
        synchronized (lock) {
            return hold;
        }
    }

    /** The slot filters or the requirements changed. */
    void slotsChanged() {
        synchronized (lock) {
            lastChange = clock.instant();
            if (unmetSlots.get().isEmpty()) {
                slotsUnmetSince = null;
            } else if (slotsUnmetSince == null) {
                slotsUnmetSince = lastChange;
            }
        }
        onChange.run();
    }

    /**
     * A resource service arrived (or its properties changed): requests for its paths wait until
     * a generation serves it.
     */
    void arrived(long serviceId, Key key, Paths paths, BooleanSupplier bundleGone) {
        synchronized (lock) {
            lastChange = clock.instant();
            registered.put(serviceId, new Resource(key, paths, bundleGone, lastChange));
        }
        onChange.run();
    }

    /**
     * A resource service is leaving: requests for its paths wait for its successor (same bundle and
     * class) to be served. Called before the requests under way are drained.
     */
    void departing(long serviceId) {
        synchronized (lock) {
            Resource r = registered.remove(serviceId);
            if (r == null) {
                return;
            }
            lastChange = clock.instant();
            if (registered.values().stream().noneMatch(o -> o.key.equals(r.key))) {
                departed.putIfAbsent(r.key, r.at(lastChange));
            }
        }
        onChange.run();
    }

    /**
     * A generation was installed.
     *
     * @param serviceIds the resource services it serves (empty: none)
     */
    void installed(Set<Long> serviceIds) {
        synchronized (lock) {
            built = Set.copyOf(serviceIds);
            lastChange = clock.instant();
            for (Long id : serviceIds) {
                Resource r = registered.get(id);
                if (r != null) {
                    departed.remove(r.key);
                }
            }
        }
        onChange.run();
    }

    /** Nothing is waited for any more: the server is shutting down. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        onChange.run();
    }

    /** @return whether the server is shutting down */
    boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** @return whether a filter, resource or requirement came or went within the hold time */
    boolean swappedLately() {
        synchronized (lock) {
            return !closed && lastChange != null && clock.instant().isBefore(lastChange.plus(hold));
        }
    }

    /**
     * @param path    the segments of a path under the API
     * @param now     now
     * @param awaited gets the resources that block the path
     * @return why a request for the path must wait, or null
     */
    Wait check(String[] path, Instant now, Set<Key> awaited) {
        synchronized (lock) {
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
                Instant lapse = built.contains(e.getKey()) || !r.paths.matches(path) ? null : coming(r, now);
                if (lapse != null) {
                    awaited.add(r.key);
                    until = later(until, lapse);
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
    }

    /** @param keys resources waited for @return whether the current generation serves every one */
    boolean served(Set<Key> keys) {
        if (keys.isEmpty()) {
            return true;
        }
        synchronized (lock) {
            Set<Key> serving = new HashSet<>();
            for (Long id : built) {
                Resource r = registered.get(id);
                if (r != null) {
                    serving.add(r.key);
                }
            }
            return serving.containsAll(keys);
        }
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
}
