package dev.mamori.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.ServletException;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpContext;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.rest.spi.RestConstants;

/**
 * The one JAX-RS server of the API, assembled from whiteboard services (see
 * {@link RestConstants}): resources and extension providers make it build a new
 * {@link Generation} (debounced) that replaces the current one without failing requests in
 * flight; slot filters go to {@link SlotFilters} and take effect on the next request without a
 * rebuild. The built-in chain is {@link Chain}'s.
 *
 * <p>While a bundle is swapped, requests wait rather than fail (EXT-1): a filter or resource that
 * leaves first lets the requests under way finish ({@link InFlight}), and new requests wait in
 * {@link Holds} for its successor ({@link Refilling} knows what is missing), up to {@code hold.seconds}.
 *
 * <p>It also owns the HTTP routing: the API servlet at {@link RestConstants#BASE_PATH} and the
 * fallback at "/", both in one HttpContext so the container always prefers the longer alias.
 * Each generation's endpoint lives in a destination registry of its own, so no other CXF servlet
 * (such as the one cxf-rt-transports-http exports, disabled in the distribution) can serve it.
 */
@Component(immediate = true, configurationPid = RestServer.PID)
@Designate(ocd = RestServer.Config.class)
public class RestServer {
    static final String PID = "dev.mamori.rest";
    /** Longest wait for a replaced generation's requests before it is destroyed anyway. */
    static final Duration GRACE = Duration.ofSeconds(30);
    /** Resources of one bundle arrive one by one: one rebuild for all of them. */
    static final long DEBOUNCE_MILLIS = 100;
    /** Longest wait of a leaving filter or resource for the requests that may be using it. */
    static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /** REST configuration (PID dev.mamori.rest). */
    @ObjectClassDefinition(name = "Mamori REST", description = "The API server at /api/v1.")
    public @interface Config {
        /** @return limit */
        @AttributeDefinition(description = "Largest request body accepted, in bytes, by a resource method that "
                + "declares no @BodyLimit (SEC-10).", min = "1024")
        long max_body_bytes() default 1_048_576L;

        /** @return ceiling */
        @AttributeDefinition(description = "The most any resource method may accept with @BodyLimit, in bytes: a "
                + "larger declaration gets this (and a warning in the log). Nothing larger is read on any path. "
                + "Below max.body.bytes, it lowers that too.", min = "1024")
        long max_body_bytes_ceiling() default 33_554_432L;

        /** @return required slots */
        @AttributeDefinition(description = "What must be present before the API serves anything: a slot "
                + "(authentication, tenant, mfa, permission, audit), which any filter in it fills, or slot:name, "
                + "which only the filter registered with mamori.rest.filter=name fills (another filter in that slot "
                + "does not count). While one is unmet, every request under /api/v1 - health included - waits for it "
                + "up to hold.seconds, then is answered 503 problem+json (required-slot-empty, Retry-After 5). A value "
                + "may list several entries separated by commas. An unknown slot or name can never be met and so keeps "
                + "the API closed. Changes apply at once.")
        String[] required_slots() default {};

        /** @return hold */
        @AttributeDefinition(description = "Longest wait, in seconds, of a request that arrives while a required "
                + "filter or the resource for its path is being replaced (a bundle updated or restarting, EXT-1); past "
                + "it, 503 with Retry-After. Also how long something that went counts as coming back: longer, and "
                + "requests are answered at once (503 for a required filter, 404 for a path). 0: no waiting.",
                min = "0", max = "60")
        int hold_seconds() default 10;

        /** @return most held */
        @AttributeDefinition(description = "Most requests waiting at once for a refill (they wait without a "
                + "container thread where the container supports asynchronous servlets, as Pax Web does); the others are "
                + "answered 503 at once.", min = "0")
        int hold_max_requests() default 1000;

        /** @return trusted TLS-terminating proxies */
        @AttributeDefinition(description = "TLS-terminating proxies in front of the server, as IP addresses or CIDR "
                + "blocks (a value may list several, separated by commas). The API answers only requests that arrived "
                + "over TLS (CRY-1): a plain-HTTP request is served only when it comes from one of these and carries "
                + "X-Forwarded-Proto: https; anything else gets 403 problem+json tls-required. Host names are not "
                + "accepted (no DNS on the request path); an entry that is not understood trusts nobody. Empty: "
                + "HTTPS only. Changes apply at once.")
        String[] tls_proxies() default {};
    }

    private final SlotFilters slots = new SlotFilters();
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mamori-rest-rebuild");
        t.setDaemon(true);
        return t;
    });
    /** Wakes the requests waiting for a refill when their time is up; apart from the rebuilds, which take longer. */
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mamori-rest-waker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final AtomicLong generationNumbers = new AtomicLong();
    private final HttpService http;
    private final Bus bus;
    private final Generations generations;
    private final ApiServlet api;
    private final Refilling refilling;
    private final Holds holds;
    private final InFlight inFlight = new InFlight();
    private final Contents contents;
    private final List<Whiteboard> trackers;
    private volatile Config config;
    private volatile BodyLimitFilter.Limits limits;
    private volatile TlsOnly transport = TlsOnly.of();
    private volatile boolean active;
    private volatile boolean rebuilding;
    private final org.osgi.framework.ServiceRegistration<dev.mamori.platform.health.HealthCheck> health;

    /**
     * @param context bundle context
     * @param config  configuration
     * @param http    where the API and fallback servlets are registered
     * @throws InvalidSyntaxException never
     * @throws ServletException       if a servlet fails to initialise
     * @throws NamespaceException     if an alias is taken, e.g. by CXF's own servlet
     */
    @Activate
    public RestServer(BundleContext context, Config config, @Reference HttpService http)
            throws InvalidSyntaxException, ServletException, NamespaceException {
        this.http = http;
        this.bus = defaultBus();
        this.generations = new Generations(rebuilder, GRACE);
        this.refilling = new Refilling(Clock.systemUTC(), slots::missing, Duration.ofSeconds(Math.max(0, config.hold_seconds())));
        this.holds = new Holds(refilling, waker, Math.max(0, config.hold_max_requests()));
        this.api = new ApiServlet(generations, () -> transport, holds, inFlight);
        this.contents = new Contents(slots, refilling, inFlight, DRAIN, this::scheduleRebuild);
        this.trackers = List.of(
                new Whiteboard(context, RESOURCES, new ResourceListener()),
                new Whiteboard(context, "(" + RestConstants.EXTENSION + "=true)", new ExtensionListener()),
                new Whiteboard(context, "(" + RestConstants.SLOT + "=*)", new SlotListener()));
        modified(config);
        this.active = true;
        // the resources, filters and slots already registered are known before the first request can come:
        // a request in between would find no resource for its path and get a 404 (seen while the REST bundle
        // was updated under load: the servlet served before the trackers had opened)
        for (Whiteboard t : trackers) {
            t.open(true);
        }
        try {
            registerServlets(http, api);
        } catch (ServletException | NamespaceException | RuntimeException e) {
            this.active = false;
            for (Whiteboard t : trackers) {
                t.close();
            }
            rebuilder.shutdownNow();
            waker.shutdownNow();
            throw e;
        }
        this.health = context.registerService(dev.mamori.platform.health.HealthCheck.class, new ApiHealth(), null);
    }

    /**
     * Not ready while the API is being rebuilt for new or departed resources: a server that says
     * ready serves every registered resource (at start-up, resources of later bundles arrive after
     * the first generation).
     */
    private final class ApiHealth implements dev.mamori.platform.health.HealthCheck {
        @Override
        public String name() {
            return "rest-api";
        }

        @Override
        public dev.mamori.platform.health.HealthStatus check() {
            if (rebuildPending.get() || rebuilding) {
                return dev.mamori.platform.health.HealthStatus.down("the API is being rebuilt for changed resources");
            }
            return dev.mamori.platform.health.HealthStatus.up(contents.resources().size() + " resource(s) served");
        }
    }

    /**
     * Applies a configuration change without a rebuild: the body limit is read per request, the
     * required slots per request by the gate, the trusted TLS proxies per request by the API servlet.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(Config config) {
        this.config = config;
        if (config.max_body_bytes() > config.max_body_bytes_ceiling()) {
            LOG.error("max.body.bytes {} is over max.body.bytes.ceiling {}: the ceiling applies", config.max_body_bytes(),
                    config.max_body_bytes_ceiling());
        }
        this.limits = new BodyLimitFilter.Limits(config.max_body_bytes(), config.max_body_bytes_ceiling());
        refilling.configure(Duration.ofSeconds(Math.max(0, config.hold_seconds())));
        holds.configure(Math.max(0, config.hold_max_requests()));
        TlsOnly tls = TlsOnly.of(config.tls_proxies());
        if (!tls.rejected().isEmpty()) {
            LOG.error("tls.proxies: {} neither an IP address nor a CIDR block: trusted by nobody", tls.rejected());
        }
        this.transport = tls;
        if (tls.proxies() > 0) {
            LOG.info("Plain-HTTP API requests accepted from {} trusted TLS-terminating proxy block(s) with "
                    + "X-Forwarded-Proto: https", tls.proxies());
        }
        slots.require(Arrays.asList(config.required_slots()));
        for (String s : slots.required()) {
            if (!RestConstants.SLOTS.contains(SlotFilters.slotOf(s))) {
                LOG.error("required.slots names '{}', which is no slot ({}): the API stays closed", s, RestConstants.SLOTS);
            } else if (s.indexOf(':') < 0) {
                LOG.warn("required.slots: any filter in the slot '{}' meets the requirement; name the one that must fill "
                        + "it ({}:<mamori.rest.filter>) so that a stray filter cannot", s, s);
            }
        }
        refilling.slotsChanged();
        List<String> missing = slots.missing();
        if (!missing.isEmpty()) {
            LOG.warn("Required REST slot(s) {} hold no filter: the API answers 503 until they do", missing);
        }
    }

    /** Both aliases through one HttpContext object: one context model, so routing cannot race. */
    static void registerServlets(HttpService http, ApiServlet api) throws ServletException, NamespaceException {
        HttpContext context = http.createDefaultHttpContext();
        http.registerServlet(RestConstants.BASE_PATH, api, apiInitParams(), context);
        try {
            http.registerServlet("/", new FallbackServlet(), name("mamori-fallback"), context);
        } catch (ServletException | NamespaceException | RuntimeException e) {
            http.unregister(RestConstants.BASE_PATH);
            throw e;
        }
    }

    /**
     * The API servlet's init parameters, as CXF's controller reads them, and {@code async-supported}
     * (Pax Web's way to mark a servlet registered through the HttpService): requests wait for a
     * refill without a container thread.
     */
    static Hashtable<String, String> apiInitParams() {
        Hashtable<String, String> p = name(ApiServlet.NAME);
        p.putAll(ApiServlet.INIT_PARAMS);
        p.put("async-supported", "true");
        return p;
    }

    private static Hashtable<String, String> name(String servletName) {
        Hashtable<String, String> p = new Hashtable<>();
        p.put("servlet-name", servletName);
        return p;
    }

    private static Bus defaultBus() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RestServer.class.getClassLoader());
        try {
            return BusFactory.getDefaultBus(true);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        // requests waiting for a refill are answered now; those under way finish as filters leave
        refilling.close();
        try {
            health.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("health check already gone", e);
        }
        for (Whiteboard t : trackers) {
            t.close();
        }
        // no more requests reach a generation before they go
        unregister(RestConstants.BASE_PATH);
        unregister("/");
        generations.close();
        rebuilder.shutdownNow();
        ProblemDocs.uninstall();
        waker.shutdownNow();
    }

    private void unregister(String alias) {
        try {
            http.unregister(alias);
        } catch (IllegalArgumentException e) {
            LOG.debug("{} was not registered", alias, e);
        }
    }

    @SuppressWarnings("deprecation")
    static final String LEGACY_RESOURCE_NAME = RestConstants.RESOURCE;
    /** Resources under Mamori's own property, or (this release only) the standard one. */
    static final String RESOURCES = "(|(" + RestConstants.API_RESOURCE + "=true)(" + LEGACY_RESOURCE_NAME + "=true))";

    /**
     * @param ref a resource service
     * @return whether it is marked only with the standard JAX-RS Whiteboard property
     */
    static boolean legacyOnly(ServiceReference<?> ref) {
        return !"true".equalsIgnoreCase(String.valueOf(ref.getProperty(RestConstants.API_RESOURCE)));
    }

    /** Resources: a change means a rebuild; one that leaves first lets the requests using it finish. */
    private final class ResourceListener implements Whiteboard.Listener {
        @Override
        public void added(ServiceReference<Object> ref, Object service) {
            long id = Whiteboard.id(ref);
            Bundle bundle = ref.getBundle();
            if (legacyOnly(ref) && !contents.hasResource(id)) {
                LOG.warn("Resource {} of bundle {} is registered with {}=true, the OSGi JAX-RS Whiteboard's own property, "
                        + "which an Aries JAX-RS Whiteboard in this container would serve as well; register it with {}=true. "
                        + "The old name is read in this release only.", service.getClass().getName(),
                        bundle.getSymbolicName(), LEGACY_RESOURCE_NAME, RestConstants.API_RESOURCE);
            }
            contents.resourceAdded(id, bundle.getBundleId(), service, () -> bundle.getState() == Bundle.UNINSTALLED);
        }

        @Override
        public void removed(ServiceReference<Object> ref, Object service) {
            contents.resourceRemoved(Whiteboard.id(ref));
        }
    }

    /** Extension providers: a change means a rebuild. */
    private final class ExtensionListener implements Whiteboard.Listener {
        @Override
        public void added(ServiceReference<Object> ref, Object service) {
            contents.extensionAdded(Whiteboard.id(ref), service);
        }

        @Override
        public void removed(ServiceReference<Object> ref, Object service) {
            contents.extensionRemoved(Whiteboard.id(ref));
        }
    }

    /** Slot filters need no rebuild: the dispatcher reads the new snapshot on the next request. */
    private final class SlotListener implements Whiteboard.Listener {
        @Override
        public void added(ServiceReference<Object> ref, Object service) {
            String slot = String.valueOf(ref.getProperty(RestConstants.SLOT));
            Object name = ref.getProperty(RestConstants.FILTER_NAME);
            try {
                contents.filterAdded(Whiteboard.id(ref), slot, name == null ? null : String.valueOf(name), Whiteboard.ranking(ref),
                        service);
                LOG.info("REST filter {} in slot {}{}", service.getClass().getName(), slot, name == null ? "" : " as " + name);
            } catch (IllegalArgumentException e) {
                LOG.error("REST filter service {} ignored: {}", Whiteboard.id(ref), e.getMessage());
            }
        }

        @Override
        public void removed(ServiceReference<Object> ref, Object service) {
            contents.filterRemoved(Whiteboard.id(ref));
        }
    }

    private void scheduleRebuild() {
        if (active && rebuildPending.compareAndSet(false, true)) {
            try {
                rebuilder.schedule(this::rebuild, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("REST server shutting down; no rebuild", e);
            }
        }
    }

    /** Runs on the rebuild thread only. */
    private void rebuild() {
        rebuilding = true;
        try {
            rebuildNow();
        } finally {
            rebuilding = false;
        }
    }

    private void rebuildNow() {
        // a change from here on schedules another rebuild, which sees it
        rebuildPending.set(false);
        if (!active) {
            return;
        }
        Map<Long, Object> serving = contents.resources();
        Collection<Object> extensions = contents.extensions();
        List<Object> beans = new ArrayList<>(serving.values());
        if (beans.isEmpty()) {
            generations.install(null);
            refilling.installed(java.util.Set.of());
            LOG.info("REST server at {} has no resources", RestConstants.BASE_PATH);
            return;
        }
        try {
            Generation next = Chain.build(generationNumbers.incrementAndGet(), bus, beans, extensions,
                    () -> limits, slots, api.controllerConfig());
            generations.install(next);
            refilling.installed(serving.keySet());
            LOG.info("REST server at {} with {} resource(s) and {} extension(s): {}", RestConstants.BASE_PATH,
                    beans.size(), extensions.size(), next);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("REST server could not be rebuilt; the previous generation keeps serving", e);
        }
    }
}
