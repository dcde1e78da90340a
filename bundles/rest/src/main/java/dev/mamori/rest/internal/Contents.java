package dev.mamori.rest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API is made of - resources, extension providers, slot filters - and the order in which
 * they come and go so that a swap fails no request (EXT-1). A part that leaves is first marked
 * leaving (new requests wait for its successor in {@link Refilling}), then the requests under way
 * finish with it ({@link InFlight#drain}: this runs on the thread that unregisters the service,
 * before the component behind it and what it calls are deactivated), and only then is it gone.
 * Resources and extensions need a new generation ({@code rebuild}); filters take effect on the next
 * request.
 */
final class Contents {
    private static final Logger LOG = LoggerFactory.getLogger(Contents.class);
    private final Map<Long, Object> resources = new ConcurrentSkipListMap<>();
    private final Map<Long, Object> extensions = new ConcurrentSkipListMap<>();
    private final SlotFilters slots;
    private final Refilling refilling;
    private final InFlight inFlight;
    private final Duration drain;
    private final Runnable rebuild;

    /**
     * @param slots     the slot filters
     * @param refilling what requests wait for
     * @param inFlight  the requests under way
     * @param drain     longest wait of a leaving part for the requests under way
     * @param rebuild   asks for a new generation (debounced by the caller)
     */
    Contents(SlotFilters slots, Refilling refilling, InFlight inFlight, Duration drain, Runnable rebuild) {
        this.slots = slots;
        this.refilling = refilling;
        this.inFlight = inFlight;
        this.drain = drain;
        this.rebuild = rebuild;
    }

    /** @return the resources by service id, in id order (a copy) */
    Map<Long, Object> resources() {
        return new LinkedHashMap<>(resources);
    }

    /** @return the extension providers, in service id order (a copy) */
    Collection<Object> extensions() {
        return new ArrayList<>(extensions.values());
    }

    /** @param id a resource service id @return whether it is held */
    boolean hasResource(long id) {
        return resources.containsKey(id);
    }

    /**
     * A resource arrived, or its properties changed.
     *
     * @param id         its service id
     * @param bundleId   its bundle
     * @param resource   the resource object
     * @param bundleGone whether its bundle was uninstalled
     */
    void resourceAdded(long id, long bundleId, Object resource, BooleanSupplier bundleGone) {
        refilling.arrived(id, new Refilling.Key(bundleId, resource.getClass().getName()), Paths.of(resource.getClass()),
                bundleGone);
        resources.put(id, resource);
        rebuild.run();
    }

    /** @param id a resource service id that is being unregistered */
    void resourceRemoved(long id) {
        Object resource = resources.get(id);
        refilling.departing(id);
        drain(resource == null ? "resource " + id : "resource " + resource.getClass().getName());
        resources.remove(id);
        rebuild.run();
    }

    /** @param id its service id @param extension a JAX-RS provider */
    void extensionAdded(long id, Object extension) {
        extensions.put(id, extension);
        rebuild.run();
    }

    /** @param id an extension's service id that is being unregistered */
    void extensionRemoved(long id) {
        drain("extension " + id);
        extensions.remove(id);
        rebuild.run();
    }

    /**
     * A slot filter arrived or its properties changed.
     *
     * @throws IllegalArgumentException if refused (then it holds no place in any slot)
     */
    void filterAdded(long id, String slot, String name, int ranking, Object filter) {
        try {
            slots.add(id, slot, name, ranking, filter);
        } catch (IllegalArgumentException e) {
            // also when a filter's properties changed to something invalid: it leaves its old slot
            slots.remove(id);
            throw e;
        } finally {
            refilling.slotsChanged();
        }
    }

    /** @param id a filter's service id that is being unregistered */
    void filterRemoved(long id) {
        // new requests wait for a successor; those under way still run it, then it goes
        slots.depart(id);
        refilling.slotsChanged();
        drain("filter " + id);
        slots.remove(id);
        refilling.slotsChanged();
    }

    private void drain(String what) {
        try {
            if (!inFlight.drain(drain)) {
                LOG.warn("REST {} left while {} request(s) were still under way after {}", what, inFlight.size(), drain);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
