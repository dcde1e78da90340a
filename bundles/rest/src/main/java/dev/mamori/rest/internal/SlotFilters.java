package dev.mamori.rest.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseFilter;

import dev.mamori.rest.spi.RestConstants;

/**
 * The filters in the named slots of the chain and the slots the configuration requires. Every
 * change publishes a new immutable {@link Snapshot}; requests read the current one without
 * locking, so filters come and go without rebuilding the server and without a request ever
 * seeing half a change.
 */
final class SlotFilters {
    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::slot)
            .thenComparing(Comparator.comparingInt(Entry::ranking).reversed())
            .thenComparingLong(Entry::serviceId);

    /** One filter service: its slot (index into {@link RestConstants#SLOTS}), ranking and id. */
    record Entry(int slot, int ranking, long serviceId, Object filter) {
    }

    /** The chain as one request sees it. */
    static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(List.of());
        private final List<Entry> entries;
        private final List<ContainerRequestFilter> requestFilters;
        private final List<ContainerResponseFilter> responseFilters;
        private final Set<String> filled;

        Snapshot(List<Entry> sorted) {
            this.entries = List.copyOf(sorted);
            List<ContainerRequestFilter> in = new ArrayList<>();
            List<ContainerResponseFilter> out = new ArrayList<>();
            Set<String> slots = new LinkedHashSet<>();
            for (Entry e : entries) {
                if (e.filter() instanceof ContainerRequestFilter) {
                    in.add((ContainerRequestFilter) e.filter());
                }
                if (e.filter() instanceof ContainerResponseFilter) {
                    out.add((ContainerResponseFilter) e.filter());
                }
                slots.add(RestConstants.SLOTS.get(e.slot()));
            }
            Collections.reverse(out);
            this.requestFilters = List.copyOf(in);
            this.responseFilters = List.copyOf(out);
            this.filled = Collections.unmodifiableSet(slots);
        }

        /** @return request filters, slot by slot, highest ranking first */
        List<ContainerRequestFilter> requestFilters() {
            return requestFilters;
        }

        /** @return response filters, in the reverse order */
        List<ContainerResponseFilter> responseFilters() {
            return responseFilters;
        }

        /** @return the slots holding at least one filter */
        Set<String> filled() {
            return filled;
        }

        /** @return every entry, in chain order */
        List<Entry> entries() {
            return entries;
        }
    }

    private final Object lock = new Object();
    private final Map<Long, Entry> entries = new HashMap<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile List<String> required = List.of();

    /**
     * @param serviceId the filter service's id
     * @param slot      the slot name
     * @param ranking   its {@code service.ranking}
     * @param filter    a request and/or response filter
     * @throws IllegalArgumentException for an unknown slot or an object that is no filter
     */
    void add(long serviceId, String slot, int ranking, Object filter) {
        int index = RestConstants.SLOTS.indexOf(slot);
        if (index < 0) {
            throw new IllegalArgumentException("unknown slot '" + slot + "'; slots are " + RestConstants.SLOTS);
        }
        if (!(filter instanceof ContainerRequestFilter) && !(filter instanceof ContainerResponseFilter)) {
            throw new IllegalArgumentException(filter.getClass().getName() + " is neither a ContainerRequestFilter "
                    + "nor a ContainerResponseFilter");
        }
        synchronized (lock) {
            entries.put(serviceId, new Entry(index, ranking, serviceId, filter));
            publish();
        }
    }

    /** @param serviceId a filter service's id; unknown ids are ignored */
    void remove(long serviceId) {
        synchronized (lock) {
            if (entries.remove(serviceId) != null) {
                publish();
            }
        }
    }

    private void publish() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(ORDER);
        snapshot = new Snapshot(sorted);
    }

    /** @return the current chain */
    Snapshot snapshot() {
        return snapshot;
    }

    /**
     * @param slots slot names that must hold a filter before the API serves anything, each value
     *              possibly a comma-separated list (a .cfg file has no arrays); a name that is no
     *              slot can never be filled, so it keeps the API closed (fail closed on a typo)
     */
    void require(Collection<String> slots) {
        List<String> r = new ArrayList<>();
        for (String value : slots) {
            for (String s : value == null ? new String[0] : value.split(",")) {
                String name = s.trim();
                if (!name.isEmpty() && !r.contains(name)) {
                    r.add(name);
                }
            }
        }
        required = List.copyOf(r);
    }

    /** @return the required slots */
    List<String> required() {
        return required;
    }

    /** @return the required slots without a filter, in configuration order; empty when the API may serve */
    List<String> missing() {
        List<String> req = required;
        if (req.isEmpty()) {
            return List.of();
        }
        Set<String> filled = snapshot.filled();
        List<String> missing = new ArrayList<>();
        for (String s : req) {
            if (!filled.contains(s)) {
                missing.add(s);
            }
        }
        return missing;
    }
}
