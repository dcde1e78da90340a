package dev.mamori.platform.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventsReady;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.event.StandaloneRecorder;

/**
 * Delivers events in the publisher's unit of work: a listener that is required (by its service
 * property or by this configuration's list) runs synchronously in the unit, and when it fails, or
 * is required and not registered, {@link #publish} throws, so the action fails and rolls back with
 * what the listener wrote; every other listener hears of the event asynchronously once the unit
 * committed, and never of an event whose action rolled back.
 */
@Component(service = EventPublisher.class, configurationPid = EventPublisherImpl.PID)
@Designate(ocd = EventPublisherImpl.Config.class)
public class EventPublisherImpl implements EventPublisher {
    static final String PID = "dev.mamori.events";
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisherImpl.class);

    /** Event configuration (PID dev.mamori.events). */
    @ObjectClassDefinition(name = "Mamori events", description = "Delivery of events to listeners.")
    public @interface Config {
        /** @return names */
        @AttributeDefinition(description = "Names (mamori.event.listener) of listeners without which no action may "
                + "happen, e.g. audit: while one is not registered, every action that publishes an event fails.",
                required = false)
        String[] required_listeners() default {};
    }

    /** A registered listener and what its service properties say. */
    record Registered(MamoriEventListener listener, String name, boolean required, List<String> types) {
        boolean wants(String type) {
            return types.isEmpty() || types.stream().anyMatch(type::startsWith);
        }
    }

    /** Ordered by ranking (highest first), then service id, as OSGi orders services. */
    private final Map<String, Registered> listeners = new ConcurrentSkipListMap<>();
    private volatile Set<String> requiredNames;
    private final Object readyLock = new Object();
    private BundleContext bundleContext;
    private ServiceRegistration<EventsReady> ready;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    /** @param config configuration */
    public EventPublisherImpl(Config config) {
        modified(config);
        UnitEngine.incompleteListener(this::incomplete);
    }

    /**
     * @param config  configuration
     * @param context where {@link EventsReady} is registered
     */
    @Activate
    public EventPublisherImpl(Config config, BundleContext context) {
        this(config);
        synchronized (readyLock) {
            bundleContext = context;
        }
        updateReady();
    }

    @Deactivate
    void stop() {
        UnitEngine.incompleteListener(null);
        synchronized (readyLock) {
            bundleContext = null;
            if (ready != null) {
                ready.unregister();
                ready = null;
            }
        }
    }

    /** Registers {@link EventsReady} while every required listener is registered, unregisters it otherwise. */
    private void updateReady() {
        Set<String> required = requiredNames;
        Set<String> present = new TreeSet<>();
        listeners.values().stream().map(Registered::name).filter(java.util.Objects::nonNull).forEach(present::add);
        boolean complete = present.containsAll(required);
        synchronized (readyLock) {
            if (bundleContext == null) {
                return;
            }
            if (complete && ready == null) {
                Set<String> names = Set.copyOf(required);
                ready = bundleContext.registerService(EventsReady.class, () -> names, null);
            } else if (!complete && ready != null) {
                ready.unregister();
                ready = null;
            }
        }
    }

    /** The follow-up of a unit whose PII store refused its commit after its events were recorded. */
    void incomplete(UnitEngine.Incomplete i) {
        publish(MamoriEvent.builder(PlatformEvents.UNIT_INCOMPLETE).outcome(MamoriEvent.Outcome.FAILURE).target("unit", i.unitId())
                .detail("stores", String.join(",", i.failedStores())).detail("events", list(i.events())));
    }

    /** The events of a unit as one detail value: cut to fit, saying how many were left out, so the follow-up itself never fails. */
    static String list(List<String> events) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < events.size(); n++) {
            String next = (b.length() == 0 ? "" : ";") + events.get(n);
            String rest = ";+" + (events.size() - n) + " more";
            if (b.length() + next.length() + (n + 1 < events.size() ? rest.length() : 0) > 256) {
                return b.append(b.length() == 0 ? rest.substring(1) : rest).toString();
            }
            b.append(next);
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    @Modified
    void modified(Config config) {
        Set<String> before = requiredNames;
        requiredNames = HealthServiceImpl.names(config.required_listeners());
        if (before != null && !before.equals(requiredNames)) {
            // a new list may name a listener that is not there: withdraw readiness first, then offer it again
            synchronized (readyLock) {
                if (ready != null) {
                    ready.unregister();
                    ready = null;
                }
            }
            updateReady();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(MamoriEventListener listener, Map<String, Object> props) {
        listeners.put(sortKey(props), new Registered(listener, string(props.get(MamoriEventListener.NAME)),
                Boolean.parseBoolean(String.valueOf(props.get(MamoriEventListener.REQUIRED))), strings(props.get(MamoriEventListener.TYPES))));
        updateReady();
    }

    void unbindListener(MamoriEventListener listener, Map<String, Object> props) {
        listeners.remove(sortKey(props));
        updateReady();
    }

    private static String sortKey(Map<String, Object> props) {
        Object ranking = props.get(Constants.SERVICE_RANKING);
        int r = ranking instanceof Integer ? (Integer) ranking : 0;
        long id = ((Number) props.get(Constants.SERVICE_ID)).longValue();
        // highest ranking first, then lowest service id; fixed width keeps the string order numeric
        return String.format("%011d-%020d", (long) Integer.MAX_VALUE - r, id);
    }

    @Override
    public MamoriEvent publish(MamoriEvent.Builder builder) {
        Clock c = clock;
        MamoriEvent event = builder.build(c == null ? Clock.systemUTC() : c, ExecutionContext.current().orElse(null));
        List<Registered> now = new ArrayList<>(listeners.values());
        Set<String> required = requiredNames;
        if (!required.isEmpty()) {
            Set<String> present = new TreeSet<>();
            now.stream().map(Registered::name).filter(java.util.Objects::nonNull).forEach(present::add);
            Set<String> missing = new TreeSet<>(required);
            missing.removeAll(present);
            if (!missing.isEmpty()) {
                LOG.error("Refused {}: required event listener(s) {} not registered", event.type(), missing);
                throw new MamoriException(PlatformErrors.EVENT_LISTENER_MISSING, "The action cannot be recorded now: "
                        + "a required event listener (" + String.join(", ", missing) + ") is not running; nothing was done.",
                        null, java.time.Duration.ofSeconds(5));
            }
        }
        if (!UnitEngine.active() && standalone(now, required)) {
            return publishStandalone(event, now, required);
        }
        // in the publisher's unit of work (a unit of its own when none is active): required listeners write
        // with the action and veto it by failing; the others hear of it once it committed, asynchronously
        return UnitEngine.call(() -> {
            for (Registered r : now) {
                if (!r.wants(event.type())) {
                    continue;
                }
                if (isRequired(r, required)) {
                    try {
                        r.listener().onEvent(event);
                    } catch (RuntimeException e) {
                        // the unit may not commit an action without its record, even if the caller catches this
                        UnitEngine.setRollbackOnly(e);
                        LOG.error("Required event listener {} failed on {}; the action fails", r.name(), event, e);
                        throw new MamoriException(PlatformErrors.EVENT_DELIVERY_FAILED, "The action cannot be recorded now "
                                + "(event listener " + r.name() + " failed); nothing was done.", e, java.time.Duration.ofSeconds(5));
                    }
                } else {
                    UnitEngine.afterCommit(() -> deliverLate(r, event));
                }
            }
            UnitEngine.recordEvent(event.type() + event.targetId().map(t -> " " + t).orElse(""));
            return event;
        });
    }

    private static boolean isRequired(Registered r, Set<String> required) {
        return r.required() || r.name() != null && required.contains(r.name());
    }

    /** @return whether every required listener that wants events records standalone ones itself (and one at least does) */
    private static boolean standalone(List<Registered> now, Set<String> required) {
        boolean any = false;
        for (Registered r : now) {
            if (isRequired(r, required)) {
                if (!(r.listener() instanceof StandaloneRecorder)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * An event with no unit of work around it: each required listener makes it durable itself (group
     * commit), then the others hear of it on the after-commit thread, as after a unit.
     */
    private MamoriEvent publishStandalone(MamoriEvent event, List<Registered> now, Set<String> required) {
        for (Registered r : now) {
            if (r.wants(event.type()) && isRequired(r, required)) {
                try {
                    ((StandaloneRecorder) r.listener()).recordStandalone(event);
                } catch (RuntimeException e) {
                    LOG.error("Required event listener {} failed on {}; the action fails", r.name(), event, e);
                    throw new MamoriException(PlatformErrors.EVENT_DELIVERY_FAILED, "The action cannot be recorded now "
                            + "(event listener " + r.name() + " failed); nothing was done.", e, java.time.Duration.ofSeconds(5));
                }
            }
        }
        for (Registered r : now) {
            if (r.wants(event.type()) && !isRequired(r, required)) {
                UnitEngine.later(() -> deliverLate(r, event), "event " + event.id());
            }
        }
        return event;
    }

    private static void deliverLate(Registered r, MamoriEvent event) {
        try {
            r.listener().onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("Event listener {} failed on {}", r.name() == null ? r.listener().getClass().getName() : r.name(), event, e);
        }
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof String[]) {
            return Arrays.asList((String[]) o);
        }
        if (o instanceof java.util.Collection) {
            List<String> out = new ArrayList<>();
            ((java.util.Collection<?>) o).forEach(x -> out.add(String.valueOf(x)));
            return out;
        }
        return Arrays.asList(o.toString().split("\\s*,\\s*"));
    }
}
