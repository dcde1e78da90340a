package dev.mamori.rest.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseFilter;

import dev.mamori.rest.spi.RestConstants;

/**
 * The filters in the named slots of the chain and what the configuration requires of them. Every
 * change publishes a new immutable {@link Snapshot}; requests read the current one without
 * locking, so filters come and go without rebuilding the server and without a request ever
 * seeing half a change.
 *
 * <p>A requirement is a slot ({@code audit}: any filter in it counts) or a slot and a filter name
 * ({@code authentication:auth-session}: only a filter registered with that
 * {@link RestConstants#FILTER_NAME} counts, so a stray filter in the slot opens nothing). A filter
 * that is leaving ({@link #depart}) still runs for the requests that already took a snapshot, but
 * no longer counts for {@link #missing()}: new requests wait for its successor.
 */
final class SlotFilters {
    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::slot)
            .thenComparing(Comparator.comparingInt(Entry::ranking).reversed())
            .thenComparingLong(Entry::serviceId);

    /** One filter service: its slot (index into {@link RestConstants#SLOTS}), name (or null), ranking and id. */
    record Entry(int slot, String name, int ranking, long serviceId, Object filter) {
        /** @return what this entry fills: its slot, and its slot with its name */
        List<String> fills() {
            String slotName = RestConstants.SLOTS.get(slot);
            return name == null ? List.of(slotName) : List.of(slotName, slotName + ":" + name);
        }
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
                slots.addAll(e.fills());
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

        /** @return the slots holding at least one filter, and {@code slot:name} for each named filter */
        Set<String> filled() {
            return filled;
        }

        /** @return every entry, in chain order */
        List<Entry> entries() {
            return entries;
        }

        /**
         * @param required requirements ({@code slot} or {@code slot:name})
         * @return those this snapshot does not meet, in the given order
         */
        List<String> unmet(List<String> required) {
            if (required.isEmpty()) {
                return List.of();
            }
            List<String> missing = new ArrayList<>();
            for (String r : required) {
                if (!filled.contains(r)) {
                    missing.add(r);
                }
            }
            return missing;
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Object lock = new Object();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Set<Long> departing = new HashSet<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    /** The entries that count for the requirements: the snapshot without the departing ones. */
    private volatile Snapshot staying = Snapshot.EMPTY;
    private volatile List<String> required = List.of();

    /** A filter without a name: it fills only requirements that name no filter. */
    void add(long serviceId, String slot, int ranking, Object filter) {
        add(serviceId, slot, null, ranking, filter);
    }

    /**
     * @param serviceId the filter service's id
     * @param slot      the slot name
     * @param name      its {@link RestConstants#FILTER_NAME}, or null
     * @param ranking   its {@code service.ranking}
     * @param filter    a request and/or response filter
     * @throws IllegalArgumentException for an unknown slot, a malformed name or an object that is no filter
     */
    void add(long serviceId, String slot, String name, int ranking, Object filter) {
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("filter name '" + name + "' is not 1-64 letters, digits or ._-");
        }
        int index = RestConstants.SLOTS.indexOf(slot);
        if (index < 0) {
            throw new IllegalArgumentException("unknown slot '" + slot + "'; slots are " + RestConstants.SLOTS);
        }
        if (!(filter instanceof ContainerRequestFilter) && !(filter instanceof ContainerResponseFilter)) {
            throw new IllegalArgumentException(filter.getClass().getName() + " is neither a ContainerRequestFilter "
                    + "nor a ContainerResponseFilter");
        }
        synchronized (lock) {
            entries.put(serviceId, new Entry(index, name, ranking, serviceId, filter));
            departing.remove(serviceId);
            publish();
        }
    }

    /**
     * The filter is leaving: requests already under way keep running it, but it no longer meets a
     * requirement, so new requests wait for a successor.
     *
     * @param serviceId a filter service's id; unknown ids are ignored
     */
    void depart(long serviceId) {
        synchronized (lock) {
            if (entries.containsKey(serviceId) && departing.add(serviceId)) {
                publish();
            }
        }
    }

    /** @param serviceId a filter service's id; unknown ids are ignored */
    void remove(long serviceId) {
        synchronized (lock) {
            departing.remove(serviceId);
            if (entries.remove(serviceId) != null) {
                publish();
            }
        }
    }

    private void publish() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(ORDER);
        List<Entry> stay = new ArrayList<>(sorted);
        stay.removeIf(e -> departing.contains(e.serviceId()));
        snapshot = new Snapshot(sorted);
        staying = departing.isEmpty() ? snapshot : new Snapshot(stay);
    }

    /** @return the current chain */
    Snapshot snapshot() {
        return snapshot;
    }

    /**
     * @param slots requirements, {@code slot} or {@code slot:filter-name}, each value possibly a
     *              comma-separated list (a .cfg file has no arrays); a name that is no slot (or a
     *              filter name no filter has) can never be met, so it keeps the API closed (fail
     *              closed on a typo)
     */
    void require(Collection<String> slots) {
        List<String> r = new ArrayList<>();
        for (String value : slots) {
            for (String s : value == null ? new String[0] : value.split(",")) {
                String name = s.trim().replaceAll("\\s*:\\s*", ":");
                if (!name.isEmpty() && !r.contains(name)) {
                    r.add(name);
                }
            }
        }
        required = List.copyOf(r);
    }

    /** @return the requirements, in configuration order */
    List<String> required() {
        return required;
    }

    /** @return the requirements no staying filter meets, in configuration order; empty when new requests may be served */
    List<String> missing() {
        return staying.unmet(required);
    }

    /**
     * @param requirement a requirement
     * @return the slot it names
     */
    static String slotOf(String requirement) {
        int colon = requirement.indexOf(':');
        return colon < 0 ? requirement : requirement.substring(0, colon);
    }
}
