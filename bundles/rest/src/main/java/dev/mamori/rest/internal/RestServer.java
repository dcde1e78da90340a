package dev.mamori.rest.internal;

import java.util.ArrayList;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
 * The one JAX-RS server of the API. Resources are whiteboard services with
 * {@code osgi.jaxrs.resource=true}; the server is rebuilt (debounced) when they come and go.
 * The filter chain is explicit here, in order, rather than left to discovery.
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
    private volatile Config config;
    private volatile boolean active;
    private Server server;

    private ServiceTracker<Object, Object> tracker;

    @Activate
    void activate(BundleContext context, Config config) throws InvalidSyntaxException {
        this.config = config;
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

    @Deactivate
    void deactivate() {
        active = false;
        tracker.close();
        rebuilder.shutdownNow();
        synchronized (this) {
            if (server != null) {
                server.destroy();
                server = null;
            }
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
            Bus bus = BusFactory.getDefaultBus(true);
            JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
            factory.setBus(bus);
            factory.setAddress("/");
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
