package dev.mamori.rest.internal;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.ServletConfig;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.feature.Feature;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.servlet.ServletController;
import org.apache.cxf.transport.servlet.servicelist.ServiceListGeneratorServlet;

import io.swagger.v3.oas.integration.GenericOpenApiContext;
import io.swagger.v3.oas.integration.OpenApiContextLocator;
import io.swagger.v3.oas.integration.api.OpenApiContext;

/**
 * One complete, immutable build of the CXF server: its own destination registry, transport,
 * endpoint and servlet controller, for one set of resources and providers. A new generation is
 * built beside the current one and switched to only once complete; the old one keeps serving
 * the requests it already has and is destroyed when they are done (see {@link Generations}).
 */
final class Generation {
    /** Set in {@link #state} once retired: no request may enter any more. */
    private static final int RETIRED = Integer.MIN_VALUE;

    private final long number;
    private final Bus bus;
    private final DestinationRegistry registry;
    private final Server server;
    private final ServletController controller;
    private final String openApiContextId;
    // in-flight count in the low bits, RETIRED in the sign bit: entering and retiring cannot race
    private final AtomicInteger state = new AtomicInteger();
    private final CompletableFuture<Generation> drained = new CompletableFuture<>();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final CompletableFuture<Generation> terminated = new CompletableFuture<>();

    private Generation(long number, Bus bus, DestinationRegistry registry, Server server, ServletController controller,
            String openApiContextId) {
        this.number = number;
        this.bus = bus;
        this.registry = registry;
        this.server = server;
        this.controller = controller;
        this.openApiContextId = openApiContextId;
    }

    /**
     * Builds and starts a generation. Nothing is shared with other generations but the bus and
     * the resource and provider objects.
     *
     * @param number     its number, for logs and tests
     * @param bus        the bus
     * @param resources  JAX-RS resource objects (at least one)
     * @param providers  JAX-RS providers, the chain first
     * @param features   CXF features such as OpenAPI
     * @param servletConfig the API servlet's configuration as CXF's controller should read it
     * @return the started generation
     */
    static Generation build(long number, Bus bus, List<Object> resources, List<Object> providers, List<Feature> features,
            ServletConfig servletConfig) {
        DestinationRegistry registry = new DestinationRegistryImpl();
        HTTPTransportFactory transport = new HTTPTransportFactory(registry);
        // swagger caches the OpenAPI document per context id for the life of the JVM: an id of its own
        // (never reused, also not by a later RestServer instance) makes it describe this generation
        String openApiContextId = "mamori-api-" + UUID.randomUUID();
        ServletConfig config = withParam(servletConfig, OpenApiContext.OPENAPI_CONTEXT_ID_KEY, openApiContextId);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Generation.class.getClassLoader());
        try {
            ServletController controller = new ServletController(registry, config,
                    new ServiceListGeneratorServlet(registry, bus));
            JAXRSServerFactoryBean factory = endpoint(bus, transport);
            factory.setServiceBeans(resources);
            factory.setProviders(providers);
            factory.getFeatures().addAll(features);
            Server server = factory.create();
            return new Generation(number, bus, registry, server, controller, openApiContextId);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The endpoint at "/" relative to the API servlet, on the given transport (and so its registry). */
    private static JAXRSServerFactoryBean endpoint(Bus bus, HTTPTransportFactory transport) {
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setDestinationFactory(transport);
        factory.setTransportId(HTTPTransportFactory.DEFAULT_NAMESPACES.get(0));
        factory.setAddress("/");
        return factory;
    }

    /** @return its number */
    long number() {
        return number;
    }

    /** @return the CXF server, for tests */
    Server server() {
        return server;
    }

    /** @return requests in flight */
    int inFlight() {
        return state.get() & Integer.MAX_VALUE;
    }

    /** @return whether it was destroyed (or is being destroyed) */
    boolean destroyed() {
        return destroyed.get();
    }

    /** @return completes when {@link #destroy()} has finished */
    CompletableFuture<Generation> terminated() {
        return terminated;
    }

    /** @return whether its endpoint is started (a stopped one has no observer, and CXF would answer text/plain) */
    boolean live() {
        for (AbstractHTTPDestination d : registry.getDestinations()) {
            if (d.getMessageObserver() != null) {
                return true;
            }
        }
        return false;
    }

    /** @return true if the request may use this generation; then {@link #exit()} must follow */
    boolean enter() {
        while (true) {
            int s = state.get();
            if ((s & RETIRED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** A request that {@link #enter()}ed is done. */
    void exit() {
        if (state.decrementAndGet() == RETIRED) {
            drained.complete(this);
        }
    }

    /**
     * No new request enters from now on.
     *
     * @return completes when the last request in flight is done
     */
    CompletableFuture<Generation> retire() {
        int before = state.getAndUpdate(s -> s | RETIRED);
        if ((before & Integer.MAX_VALUE) == 0) {
            drained.complete(this);
        }
        return drained;
    }

    /**
     * Serves one request, as CXFNonSpringServlet.invoke does: the bus as the thread's default bus
     * and the bus's class loader as context class loader for the call, both restored after it.
     */
    void invoke(HttpServletRequest request, HttpServletResponse response) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        ClassLoader loader = bus.getExtension(ClassLoader.class);
        Bus previousBus = BusFactory.getAndSetThreadDefaultBus(bus);
        try {
            if (loader != null) {
                thread.setContextClassLoader(loader);
            }
            controller.invoke(request, response);
        } finally {
            if (previousBus != bus) {
                BusFactory.setThreadDefaultBus(previousBus);
            }
            thread.setContextClassLoader(previousLoader);
        }
    }

    /** Stops the endpoint and lets go of its OpenAPI model; idempotent. */
    void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Generation.class.getClassLoader());
        try {
            server.destroy();
        } finally {
            thread.setContextClassLoader(previous);
            // swagger's locator cannot forget an id; an empty context in its place frees this generation's model and resources
            OpenApiContextLocator.getInstance().putOpenApiContext(openApiContextId, new GenericOpenApiContext<>());
            terminated.complete(this);
        }
    }

    @Override
    public String toString() {
        return "generation " + number;
    }

    private static ServletConfig withParam(ServletConfig base, String name, String value) {
        Map<String, String> extra = new HashMap<>();
        extra.put(name, value);
        return new ServletConfig() {
            @Override
            public String getServletName() {
                return base.getServletName();
            }

            @Override
            public ServletContext getServletContext() {
                return base.getServletContext();
            }

            @Override
            public String getInitParameter(String param) {
                return extra.containsKey(param) ? extra.get(param) : base.getInitParameter(param);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                List<String> names = Collections.list(base.getInitParameterNames());
                names.addAll(extra.keySet());
                return Collections.enumeration(names);
            }
        };
    }
}
