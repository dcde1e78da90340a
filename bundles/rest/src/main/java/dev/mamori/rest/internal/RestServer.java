package dev.mamori.rest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import javax.servlet.ServletConfig;
import javax.servlet.ServletException;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.jaxrs.openapi.OpenApiFeature;
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

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import dev.mamori.rest.spi.RestConstants;

/**
 * The one JAX-RS server of the API, assembled from whiteboard services (see
 * {@link RestConstants}): resources and extension providers make it build a new
 * {@link Generation} (debounced) that replaces the current one without failing requests in
 * flight; slot filters go to {@link SlotFilters} and take effect on the next request without a
 * rebuild. The built-in chain is explicit here, in order, rather than left to discovery.
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
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    private static final String OPENAPI_RESOURCE = "io.swagger.v3.jaxrs2.integration.resources.OpenApiResource";

    /** REST configuration (PID dev.mamori.rest). */
    @ObjectClassDefinition(name = "Mamori REST", description = "The API server at /api/v1.")
    public @interface Config {
        /** @return limit */
        @AttributeDefinition(description = "Largest request body accepted, in bytes (SEC-10).", min = "1024")
        long max_body_bytes() default 1_048_576L;

        /** @return required slots */
        @AttributeDefinition(description = "Filter slots (authentication, tenant, mfa, permission, audit) that must "
                + "hold at least one filter service before the API serves anything. While one of them is empty, "
                + "every request under /api/v1 - health included - is answered 503 problem+json "
                + "(required-slot-empty, Retry-After 5). A value may list several slots separated by commas. An "
                + "unknown name can never be filled and so keeps the API closed. Changes apply at once.")
        String[] required_slots() default {};

        /** @return trusted TLS-terminating proxies */
        @AttributeDefinition(description = "TLS-terminating proxies in front of the server, as IP addresses or CIDR "
                + "blocks (a value may list several, separated by commas). The API answers only requests that arrived "
                + "over TLS (CRY-1): a plain-HTTP request is served only when it comes from one of these and carries "
                + "X-Forwarded-Proto: https; anything else gets 403 problem+json tls-required. Host names are not "
                + "accepted (no DNS on the request path); an entry that is not understood trusts nobody. Empty: "
                + "HTTPS only. Changes apply at once.")
        String[] tls_proxies() default {};
    }

    private final Map<Long, Object> resources = new ConcurrentSkipListMap<>();
    private final Map<Long, Object> extensions = new ConcurrentSkipListMap<>();
    private final SlotFilters slots = new SlotFilters();
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mamori-rest-rebuild");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final AtomicLong generationNumbers = new AtomicLong();
    private final HttpService http;
    private final Bus bus;
    private final Generations generations;
    private final ApiServlet api;
    private final List<Whiteboard> trackers;
    private volatile Config config;
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
        this.api = new ApiServlet(generations, () -> transport);
        this.trackers = List.of(
                new Whiteboard(context, "(" + RestConstants.RESOURCE + "=true)", rebuildingOn(resources)),
                new Whiteboard(context, "(" + RestConstants.EXTENSION + "=true)", rebuildingOn(extensions)),
                new Whiteboard(context, "(" + RestConstants.SLOT + "=*)", new SlotListener()));
        modified(config);
        try {
            registerServlets(http, api);
        } catch (ServletException | NamespaceException | RuntimeException e) {
            rebuilder.shutdownNow();
            throw e;
        }
        this.active = true;
        for (Whiteboard t : trackers) {
            t.open(true);
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
            return dev.mamori.platform.health.HealthStatus.up(resources.size() + " resource(s) served");
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
            if (!RestConstants.SLOTS.contains(s)) {
                LOG.error("required.slots names '{}', which is no slot ({}): the API stays closed", s, RestConstants.SLOTS);
            }
        }
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

    /** The API servlet's init parameters, as CXF's controller reads them. */
    static Hashtable<String, String> apiInitParams() {
        Hashtable<String, String> p = name(ApiServlet.NAME);
        p.putAll(ApiServlet.INIT_PARAMS);
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
    }

    private void unregister(String alias) {
        try {
            http.unregister(alias);
        } catch (IllegalArgumentException e) {
            LOG.debug("{} was not registered", alias, e);
        }
    }

    private Whiteboard.Listener rebuildingOn(Map<Long, Object> services) {
        return new Whiteboard.Listener() {
            @Override
            public void added(ServiceReference<Object> ref, Object service) {
                services.put(Whiteboard.id(ref), service);
                scheduleRebuild();
            }

            @Override
            public void removed(ServiceReference<Object> ref, Object service) {
                services.remove(Whiteboard.id(ref));
                scheduleRebuild();
            }
        };
    }

    /** Slot filters need no rebuild: the dispatcher reads the new snapshot on the next request. */
    private final class SlotListener implements Whiteboard.Listener {
        @Override
        public void added(ServiceReference<Object> ref, Object service) {
            String slot = String.valueOf(ref.getProperty(RestConstants.SLOT));
            try {
                slots.add(Whiteboard.id(ref), slot, Whiteboard.ranking(ref), service);
                LOG.info("REST filter {} in slot {}", service.getClass().getName(), slot);
            } catch (IllegalArgumentException e) {
                // also when a filter's properties changed to something invalid: it leaves its old slot
                slots.remove(Whiteboard.id(ref));
                LOG.error("REST filter service {} ignored: {}", Whiteboard.id(ref), e.getMessage());
            }
        }

        @Override
        public void removed(ServiceReference<Object> ref, Object service) {
            slots.remove(Whiteboard.id(ref));
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
        List<Object> beans = new ArrayList<>(resources.values());
        if (beans.isEmpty()) {
            generations.install(null);
            LOG.info("REST server at {} has no resources", RestConstants.BASE_PATH);
            return;
        }
        try {
            Generation next = build(generationNumbers.incrementAndGet(), bus, beans, extensions.values(),
                    () -> config.max_body_bytes(), slots, api.controllerConfig());
            generations.install(next);
            LOG.info("REST server at {} with {} resource(s) and {} extension(s): {}", RestConstants.BASE_PATH,
                    beans.size(), extensions.size(), next);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("REST server could not be rebuilt; the previous generation keeps serving", e);
        }
    }

    /**
     * Builds a complete generation (not yet installed).
     *
     * @param number        generation number
     * @param bus           the bus
     * @param resources     resource objects
     * @param extensions    extension providers
     * @param maxBody       the body limit, read per request
     * @param slots         the slot filters, read per request
     * @param servletConfig the API servlet's configuration for CXF's controller
     * @return the started generation
     */
    static Generation build(long number, Bus bus, List<Object> resources, Collection<Object> extensions,
            LongSupplier maxBody, SlotFilters slots, ServletConfig servletConfig) {
        return Generation.build(number, bus, resources, providers(maxBody, slots, extensions), List.of(openApi()),
                servletConfig);
    }

    /**
     * The chain, in order: request id, required-slot gate, body limit, security headers, the slot
     * filters, error mapping; then the capabilities' extensions.
     */
    static List<Object> providers(LongSupplier maxBody, SlotFilters slots, Collection<Object> extensions) {
        RequiredSlotGate gate = new RequiredSlotGate(slots);
        List<Object> p = new ArrayList<>();
        p.add(new RequestIdFilter());
        p.add(gate);
        p.add(new BodyLimitFilter(maxBody));
        p.add(new SecurityHeaders());
        p.add(new SlotDispatcher(slots));
        p.add(new ProblemMapper());
        p.add(new JacksonJsonProvider(objectMapper()));
        p.add(new NoWadl(gate));
        p.addAll(extensions);
        return p;
    }

    static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        return mapper;
    }

    static OpenApiFeature openApi() {
        OpenApiFeature f = new OpenApiFeature();
        f.setTitle("Mamori API");
        f.setVersion("1.0.0");
        f.setDescription("Multi-tenant server that enforces published security and privacy promises.");
        f.setLicense("Proprietary");
        f.setContactName("Mamori operators");
        f.setScan(false);
        // a non-empty class list stops swagger from scanning the class path for @Path classes (which
        // would document resources this generation does not serve); the name is one swagger ignores,
        // so the document holds exactly the generation's resources
        f.setResourceClasses(Set.of(OPENAPI_RESOURCE));
        f.setSupportSwaggerUi(false);
        f.setPrettyPrint(true);
        f.setRunAsFilter(false);
        // the problem responses of every operation, from the error kinds its method declares
        ProblemDocs.install();
        return f;
    }
}
