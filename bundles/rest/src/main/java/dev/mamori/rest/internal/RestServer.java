package dev.mamori.rest.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.openapi.OpenApiFeature;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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

import javax.servlet.ServletException;

import dev.mamori.rest.spi.RestConstants;

/**
 * The one JAX-RS server of the API. Resources are whiteboard services with
 * {@code osgi.jaxrs.resource=true}; the server is rebuilt (debounced) when they come and go.
 * The filter chain is explicit here, in order, rather than left to discovery.
 *
 * <p>It also owns the HTTP routing: CXF's servlet at {@link RestConstants#BASE_PATH} and the
 * fallback at "/", both in one HttpContext so the container always prefers the longer alias.
 * The endpoint lives in a destination registry of its own, so no other CXF servlet (such as the
 * one cxf-rt-transports-http exports, disabled in the distribution) can serve it.
 */
@Component(immediate = true, configurationPid = RestServer.PID)
@Designate(ocd = RestServer.Config.class)
public class RestServer {
    static final String PID = "dev.mamori.rest";
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /** REST configuration (PID dev.mamori.rest). */
    @ObjectClassDefinition(name = "Mamori REST", description = "The API server at /api/v1.")
    public @interface Config {
        /** @return limit */
        @AttributeDefinition(description = "Largest request body accepted, in bytes (SEC-10).", min = "1024")
        long max_body_bytes() default 1_048_576L;
    }

    private final Map<Long, Object> resources = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mamori-rest-rebuild");
        t.setDaemon(true);
        return t;
    });
    private final HttpService http;
    private final Bus bus;
    private final HTTPTransportFactory transport;
    private volatile Config config;
    private volatile boolean active;
    private Server server;

    private final ServiceTracker<Object, Object> tracker;

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
        this.config = config;
        this.http = http;
        this.bus = defaultBus();
        DestinationRegistry registry = new DestinationRegistryImpl();
        this.transport = new HTTPTransportFactory(registry);
        registerServlets(http, registry, bus);
        this.active = true;
        // resources register under their own class names, so the tracker matches on the property alone
        tracker = new ServiceTracker<>(context, context.createFilter("(" + RestConstants.RESOURCE + "=true)"), null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                Object resource = super.addingService(ref);
                if (resource != null) {
                    resources.put((Long) ref.getProperty(Constants.SERVICE_ID), resource);
                    scheduleRebuild();
                }
                return resource;
            }

            @Override
            public void removedService(ServiceReference<Object> ref, Object resource) {
                resources.remove((Long) ref.getProperty(Constants.SERVICE_ID));
                scheduleRebuild();
                super.removedService(ref, resource);
            }
        };
        // each resource found schedules a (debounced) rebuild
        tracker.open(true);
    }

    /** Both aliases through one HttpContext object: one context model, so routing cannot race. */
    static void registerServlets(HttpService http, DestinationRegistry registry, Bus bus)
            throws ServletException, NamespaceException {
        HttpContext context = http.createDefaultHttpContext();
        http.registerServlet(RestConstants.BASE_PATH, new ApiServlet(registry, bus), apiInitParams(), context);
        try {
            http.registerServlet("/", new FallbackServlet(), name("mamori-fallback"), context);
        } catch (ServletException | NamespaceException | RuntimeException e) {
            http.unregister(RestConstants.BASE_PATH);
            throw e;
        }
    }

    /** What the org.apache.cxf.osgi configuration used to give CXF's own servlet. */
    static Hashtable<String, String> apiInitParams() {
        Hashtable<String, String> p = name("mamori-api");
        p.put("hide-service-list-page", "true");
        p.put("disable-address-updates", "true");
        // a resolver per registration would pile up on the shared bus across restarts
        p.put("ignore.servlet.context.resolver", "true");
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
        tracker.close();
        rebuilder.shutdownNow();
        // no more requests reach the endpoint before it goes
        unregister(RestConstants.BASE_PATH);
        unregister("/");
        synchronized (this) {
            if (server != null) {
                server.destroy();
                server = null;
            }
        }
    }

    private void unregister(String alias) {
        try {
            http.unregister(alias);
        } catch (IllegalArgumentException e) {
            LOG.debug("{} was not registered", alias, e);
        }
    }

    private void scheduleRebuild() {
        if (active) {
            rebuilder.schedule(this::rebuild, 100, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void rebuild() {
        if (!active) {
            return;
        }
        List<Object> beans = new ArrayList<>(resources.values());
        if (server != null) {
            server.destroy();
            server = null;
        }
        if (beans.isEmpty()) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RestServer.class.getClassLoader());
        try {
            JAXRSServerFactoryBean factory = endpoint(bus, transport);
            factory.setServiceBeans(beans);
            factory.setProviders(providers(config));
            factory.getFeatures().add(openApi());
            server = factory.create();
            LOG.info("REST server at {} with {} resource(s)", RestConstants.BASE_PATH, beans.size());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("REST server could not be built", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The endpoint at "/" relative to the API servlet, on the given transport (and so its registry). */
    static JAXRSServerFactoryBean endpoint(Bus bus, HTTPTransportFactory transport) {
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setDestinationFactory(transport);
        factory.setTransportId(HTTPTransportFactory.DEFAULT_NAMESPACES.get(0));
        factory.setAddress("/");
        return factory;
    }

    /** The chain, in order: request id, body limit, security headers, (auth slots), error mapping. */
    static List<Object> providers(Config config) {
        List<Object> p = new ArrayList<>();
        p.add(new RequestIdFilter());
        p.add(new BodyLimitFilter(config.max_body_bytes()));
        p.add(new SecurityHeaders());
        p.add(new ProblemMapper());
        p.add(new JacksonJsonProvider(objectMapper()));
        p.add(new NoWadl());
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

    private static OpenApiFeature openApi() {
        OpenApiFeature f = new OpenApiFeature();
        f.setTitle("Mamori API");
        f.setVersion("1.0.0");
        f.setDescription("Multi-tenant server that enforces published security and privacy promises.");
        f.setLicense("Proprietary");
        f.setContactName("Mamori operators");
        f.setScan(false);
        f.setSupportSwaggerUi(false);
        f.setPrettyPrint(true);
        f.setRunAsFilter(false);
        return f;
    }
}
