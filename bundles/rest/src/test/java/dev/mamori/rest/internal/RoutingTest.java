package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.service.http.HttpContext;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;

import dev.mamori.rest.spi.RestConstants;

/**
 * The API servlet and the fallback side by side in one servlet context, as RestServer registers
 * them, on Jetty 9.4 (what Pax Web 8 runs): routing by alias, not by start order.
 */
class RoutingTest {
    private Bus bus;
    private HTTPTransportFactory transport;
    private DestinationRegistry registry;
    private org.eclipse.jetty.server.Server jetty;
    private LocalConnector connector;
    private Server endpoint;

    /** A resource standing in for the whiteboard ones. */
    @Path("probe")
    public static class Probe {
        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            return Map.of("ok", "yes");
        }
    }

    @BeforeEach
    void start() throws Exception {
        bus = BusFactory.newInstance().createBus();
        registry = new DestinationRegistryImpl();
        transport = new HTTPTransportFactory(registry);
        jetty = new org.eclipse.jetty.server.Server();
        connector = new LocalConnector(jetty);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder api = new ServletHolder(new ApiServlet(registry, bus));
        RestServer.apiInitParams().forEach(api::setInitParameter);
        context.addServlet(api, RestConstants.BASE_PATH + "/*");
        context.addServlet(new ServletHolder(new FallbackServlet()), "/");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        if (endpoint != null) {
            endpoint.destroy();
        }
        bus.shutdown(true);
    }

    private void buildEndpoint() {
        JAXRSServerFactoryBean factory = RestServer.endpoint(bus, transport);
        factory.setServiceBeans(List.of(new Probe()));
        factory.setProviders(RestServer.providers(config()));
        endpoint = factory.create();
    }

    private static RestServer.Config config() {
        return new RestServer.Config() {
            @Override
            public long max_body_bytes() {
                return 1_048_576L;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return RestServer.Config.class;
            }
        };
    }

    /** A parsed HTTP/1.0 response (no chunking to undo). */
    static final class Resp {
        final int status;
        final Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final String body;

        Resp(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            body = raw.substring(split + 4);
        }

        int getStatus() {
            return status;
        }

        String get(String header) {
            return headers.get(header);
        }

        String getContent() {
            return body;
        }
    }

    private Resp get(String path) throws Exception {
        return new Resp(connector.getResponse("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n"));
    }

    private static void assertProblem(Resp r, int status, String code) {
        assertEquals(status, r.getStatus(), r.getContent());
        assertTrue(r.get("Content-Type").startsWith(RestConstants.PROBLEM_JSON), r.get("Content-Type"));
        assertTrue(r.getContent().contains("\"type\":\"urn:mamori:problem:" + code + "\""), r.getContent());
        assertNotNull(r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("nosniff", r.get("X-Content-Type-Options"));
        assertEquals("no-store", r.get("Cache-Control"));
    }

    @Test
    @DisplayName("SEC-9: the API path reaches CXF on the API's own registry")
    void apiReachesCxf() throws Exception {
        buildEndpoint();
        Resp r = get("/api/v1/probe");
        assertEquals(200, r.getStatus(), r.getContent());
        assertEquals("{\"ok\":\"yes\"}", r.getContent());
        assertNotNull(r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("DENY", r.get("X-Frame-Options"));
    }

    @Test
    @DisplayName("SEC-9: unknown paths under the API are CXF's problem+json 404, not the fallback's")
    void unknownApiPath() throws Exception {
        buildEndpoint();
        Resp r = get("/api/v1/no-such-thing");
        assertProblem(r, 404, "not-found");
        assertTrue(!r.getContent().contains("the API lives under"), "answered by the fallback: " + r.getContent());
    }

    @Test
    @DisplayName("SEC-9: paths outside the API get the fallback's problem+json 404")
    void outsideApi() throws Exception {
        buildEndpoint();
        for (String path : List.of("/", "/no-such-thing", "/api/other", "/api/v1x", "/cxf/services")) {
            Resp r = get(path);
            assertProblem(r, 404, "not-found");
            assertTrue(r.getContent().contains("the API lives under"), path + ": " + r.getContent());
        }
    }

    @Test
    @DisplayName("SEC-9: the service list page stays hidden")
    void noServiceList() throws Exception {
        buildEndpoint();
        assertProblem(get("/api/v1/services"), 404, "not-found");
    }

    @Test
    @DisplayName("SEC-9: an endpoint registered but not (or no longer) started answers 503 problem+json too")
    void registeredButStopped() throws Exception {
        buildEndpoint();
        endpoint.stop();
        assertProblem(get("/api/v1/probe"), 503, "unavailable");
        endpoint.start();
        assertEquals(200, get("/api/v1/probe").status);
    }

    @Test
    @DisplayName("SEC-9: before the endpoint exists the API answers a problem+json 503, not CXF's text")
    void beforeEndpoint() throws Exception {
        Resp r = get("/api/v1/probe");
        assertProblem(r, 503, "unavailable");
        assertEquals("1", r.get("Retry-After"));
    }

    @Test
    @DisplayName("unregistering the API servlet leaves the shared bus running")
    void destroyKeepsBus() throws Exception {
        buildEndpoint();
        jetty.stop();
        assertEquals(Bus.BusState.RUNNING, bus.getState());
    }

    @Test
    @DisplayName("both servlets are registered through one and the same HttpContext")
    void oneHttpContext() throws Exception {
        List<Object[]> calls = new ArrayList<>();
        HttpContext shared = (HttpContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpContext.class}, (p, m, a) -> null);
        HttpService http = fakeHttp(shared, calls, null);
        RestServer.registerServlets(http, registry, bus);
        assertEquals(2, calls.size());
        assertEquals(RestConstants.BASE_PATH, calls.get(0)[0]);
        assertTrue(calls.get(0)[1] instanceof ApiServlet);
        assertEquals("/", calls.get(1)[0]);
        assertTrue(calls.get(1)[1] instanceof FallbackServlet);
        assertSame(shared, calls.get(0)[3]);
        assertSame(shared, calls.get(1)[3]);
        assertEquals("true", ((Dictionary<?, ?>) calls.get(0)[2]).get("hide-service-list-page"));
    }

    @Test
    @DisplayName("if the fallback cannot be registered, the API servlet is taken back")
    void rollback() {
        List<Object[]> calls = new ArrayList<>();
        List<String> unregistered = new ArrayList<>();
        HttpContext shared = (HttpContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpContext.class}, (p, m, a) -> null);
        HttpService http = fakeHttp(shared, calls, unregistered);
        assertThrows(NamespaceException.class, () -> RestServer.registerServlets(http, registry, bus));
        assertEquals(List.of(RestConstants.BASE_PATH), unregistered);
    }

    private HttpService fakeHttp(HttpContext shared, List<Object[]> calls, List<String> unregistered) {
        return (HttpService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpService.class},
                (p, m, a) -> {
                    switch (m.getName()) {
                        case "createDefaultHttpContext":
                            return shared;
                        case "registerServlet":
                            if (unregistered != null && "/".equals(a[0])) {
                                throw new NamespaceException("taken");
                            }
                            calls.add(a);
                            return null;
                        case "unregister":
                            unregistered.add((String) a[0]);
                            return null;
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }
}
