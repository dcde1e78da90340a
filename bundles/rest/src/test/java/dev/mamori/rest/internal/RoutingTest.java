package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.apache.cxf.Bus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.service.http.HttpContext;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthStatus;
import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.RestConstants;

/**
 * Routing, the required-slot gate, generations and the per-request context, end to end on
 * Jetty 9.4 with CXF.
 */
class RoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MDCAdapter previousMdc;
    private ApiHarness api;

    /** A resource standing in for the whiteboard ones. */
    @Path("probe")
    public static class Probe {
        final AtomicInteger calls = new AtomicInteger();

        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            calls.incrementAndGet();
            return Map.of("ok", "yes");
        }

        /** @return what this request sees of its context and log MDC */
        @GET
        @Path("context")
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> context() {
            ExecutionContext c = ExecutionContext.require();
            Map<String, String> m = new LinkedHashMap<>();
            m.put("requestId", c.requestId());
            m.put("mdc", MDC.get(ApiServlet.MDC_KEY));
            m.put("channel", c.channel().name());
            m.put("clientIp", c.clientIp().orElse(null));
            m.put("userAgent", c.userAgent().orElse(null));
            return m;
        }
    }

    /** Fails in both ways a resource can. */
    @Path("boom")
    public static class Boom {
        /** @return never */
        @GET
        public String get() {
            throw new IllegalStateException("SELECT secret FROM internals");
        }

        /** @return never */
        @GET
        @Path("gadget")
        public String gadget() {
            throw new GadgetException("The gadget is jammed.");
        }
    }

    /** A capability's exception, with its own mapper registered as an extension. */
    static final class GadgetException extends MamoriException {
        private static final long serialVersionUID = 1L;
        static final ErrorCode JAMMED = ErrorCode.of("gadget-jammed", ErrorKind.CONFLICT, "Gadget jammed");

        GadgetException(String message) {
            super(JAMMED, message);
        }
    }

    /** The capability's own mapper for its exception type. */
    public static final class GadgetMapper implements ExceptionMapper<GadgetException> {
        @Override
        public Response toResponse(GadgetException e) {
            return Response.status(418).type(MediaType.TEXT_PLAIN).entity("gadget mapper").build();
        }
    }

    /** A second resource, deployed later. */
    @Path("added")
    public static class Added {
        /** @return a fixed body */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() {
            return Map.of("added", "yes");
        }
    }

    /** Holds its request until released. */
    @Path("slow")
    public static class Slow {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        /** @return once released */
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Map<String, String> get() throws InterruptedException {
            entered.countDown();
            assertTrue(release.await(20, TimeUnit.SECONDS), "never released");
            return Map.of("slow", "done");
        }
    }

    /** Lets every request through. */
    static final class Pass implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
        }
    }

    @BeforeAll
    static void realMdc() throws ReflectiveOperationException {
        previousMdc = ApiHarness.useRealMdc(null);
    }

    @AfterAll
    static void restoreMdc() throws ReflectiveOperationException {
        ApiHarness.useRealMdc(previousMdc);
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (ApiHarness.Leftover l : api.leftovers) {
                assertTrue(l.clean(), "SEC-7: a request left its context or MDC on the Jetty thread: " + l);
            }
        } finally {
            api.close();
        }
    }

    private static void assertProblem(Resp r, int status, String code) {
        assertEquals(status, r.status, r.body);
        assertTrue(r.get("Content-Type").startsWith(RestConstants.PROBLEM_JSON), r.get("Content-Type"));
        assertTrue(r.body.contains("\"type\":\"urn:mamori:problem:" + code + "\""), r.body);
        assertNotNull(r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("nosniff", r.get("X-Content-Type-Options"));
        assertEquals("no-store", r.get("Cache-Control"));
    }

    @Test
    @DisplayName("SEC-9: the API path reaches CXF on the generation's own registry")
    void apiReachesCxf() throws Exception {
        api.deploy(new Probe());
        Resp r = api.get("/api/v1/probe");
        assertEquals(200, r.status, r.body);
        assertEquals("{\"ok\":\"yes\"}", r.body);
        assertNotNull(r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("DENY", r.get("X-Frame-Options"));
    }

    @Test
    @DisplayName("SEC-9: unknown paths under the API are CXF's problem+json 404, not the fallback's")
    void unknownApiPath() throws Exception {
        api.deploy(new Probe());
        Resp r = api.get("/api/v1/no-such-thing");
        assertProblem(r, 404, "not-found");
        assertFalse(r.body.contains("the API lives under"), "answered by the fallback: " + r.body);
    }

    @Test
    @DisplayName("SEC-9: paths outside the API get the fallback's problem+json 404, never echoing a caller's request id")
    void outsideApi() throws Exception {
        api.deploy(new Probe());
        for (String path : List.of("/", "/no-such-thing", "/api/other", "/api/v1x", "/cxf/services")) {
            Resp r = api.get(path, "X-Request-Id: caller-chosen-id-1");
            assertProblem(r, 404, "not-found");
            assertTrue(r.body.contains("the API lives under"), path + ": " + r.body);
            assertNotEquals("caller-chosen-id-1", r.get(RestConstants.REQUEST_ID_HEADER));
            assertFalse(r.body.contains("caller-chosen"), r.body);
        }
    }

    @Test
    @DisplayName("SEC-9: the service list page stays hidden")
    void noServiceList() throws Exception {
        api.deploy(new Probe());
        assertProblem(api.get("/api/v1/services"), 404, "not-found");
    }

    @Test
    @DisplayName("SEC-9: a generation whose endpoint is not (or no longer) started answers 503 problem+json too")
    void registeredButStopped() throws Exception {
        Generation g = api.deploy(new Probe());
        g.server().stop();
        assertProblem(api.get("/api/v1/probe"), 503, "unavailable");
        g.server().start();
        assertEquals(200, api.get("/api/v1/probe").status);
    }

    @Test
    @DisplayName("SEC-9: before the first generation exists the API answers a problem+json 503, not CXF's text")
    void beforeEndpoint() throws Exception {
        Resp r = api.get("/api/v1/probe");
        assertProblem(r, 503, "unavailable");
        assertEquals("1", r.get("Retry-After"));
    }

    @Test
    @DisplayName("unregistering the API servlet leaves the shared bus running")
    void destroyKeepsBus() throws Exception {
        api.deploy(new Probe());
        api.jetty.stop();
        assertEquals(Bus.BusState.RUNNING, api.bus.getState());
    }

    @Test
    @DisplayName("AUD-2/SEC-7: the servlet binds the request's context: safe caller id reused and echoed, in the MDC while it runs")
    void contextPerRequest() throws Exception {
        api.deploy(new Probe());
        Resp r = api.get("/api/v1/probe/context", "X-Request-Id: trace-0001.abc", "User-Agent: probe/1.0");
        assertEquals(200, r.status, r.body);
        JsonNode body = JSON.readTree(r.body);
        assertEquals("trace-0001.abc", body.get("requestId").asText());
        assertEquals("trace-0001.abc", body.get("mdc").asText(), "the log MDC carries the request id during the call");
        assertEquals("trace-0001.abc", r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("REST", body.get("channel").asText());
        assertEquals("probe/1.0", body.get("userAgent").asText());
        assertFalse(body.get("clientIp").isNull());
        Resp unsafe = api.get("/api/v1/probe/context", "X-Request-Id: <script>alert(1)</script>");
        String id = JSON.readTree(unsafe.body).get("requestId").asText();
        assertTrue(id.matches("[0-9a-f]{24}"), id);
        assertEquals(id, unsafe.get(RestConstants.REQUEST_ID_HEADER));
    }

    @Test
    @DisplayName("SEC-7/SEC-11: after a request, even one whose resource throws, neither MDC nor execution context stays on the Jetty thread")
    void nothingLeftBehind() throws Exception {
        api.deploy(new Probe(), new Boom());
        api.get("/api/v1/probe");
        assertTrue(api.leftover().clean());
        Resp r = api.get("/api/v1/boom");
        assertProblem(r, 500, "internal-error");
        assertFalse(r.body.contains("SELECT"), r.body);
        assertTrue(r.body.contains(r.get(RestConstants.REQUEST_ID_HEADER)), "the detail quotes the request id");
        ApiHarness.Leftover after = api.leftover();
        assertNull(after.context(), "execution context left bound");
        assertTrue(after.mdc() == null || after.mdc().isEmpty(), "MDC left behind: " + after.mdc());
        api.get("/no-such-page");
        assertTrue(api.leftover().clean(), "the fallback servlet cleans up too");
    }

    @Test
    @DisplayName("EXT-3: a capability's MamoriException is mapped by kind without any mapper of its own")
    void typedErrorByKind() throws Exception {
        api.deploy(new Boom());
        Resp r = api.get("/api/v1/boom/gadget");
        assertProblem(r, 409, "gadget-jammed");
        JsonNode p = JSON.readTree(r.body);
        assertEquals("Gadget jammed", p.get("title").asText());
        assertEquals("The gadget is jammed.", p.get("detail").asText());
    }

    @Test
    @DisplayName("EXT-1/EXT-3: an extension ExceptionMapper for a capability's exception type is preferred over the built-in one")
    void extensionMapperPreferred() throws Exception {
        api.extensions.add(new GadgetMapper());
        api.deploy(new Boom());
        Resp r = api.get("/api/v1/boom/gadget");
        assertEquals(418, r.status, r.body);
        assertEquals("gadget mapper", r.body);
        assertEquals("nosniff", r.get("X-Content-Type-Options"), "the built-in response filters still run");
        assertProblem(api.get("/api/v1/boom"), 500, "internal-error");
    }

    @Test
    @DisplayName("SEC-4: while a required slot is empty, health, resources and unknown paths all answer 503 problem+json; filling it restores service")
    void requiredSlotGate() throws Exception {
        Probe probe = new Probe();
        HealthResource health = new HealthResource();
        health.service = () -> new HealthReport(true, Map.of("database", HealthStatus.up("ok")));
        api.slots.require(List.of(RestConstants.SLOT_AUTHENTICATION));
        api.deploy(probe, health);
        for (String path : List.of("/api/v1/health", "/api/v1/probe", "/api/v1/no-such-thing", "/api/v1/openapi.json",
                "/api/v1/probe?_wadl")) {
            Resp r = api.get(path);
            assertProblem(r, 503, "required-slot-empty");
            assertEquals("5", r.get("Retry-After"), path);
            assertTrue(r.body.contains("authentication"), "the detail names the empty slot: " + r.body);
        }
        assertEquals(0, probe.calls.get(), "never unauthenticated service");
        api.slots.add(1, RestConstants.SLOT_AUTHENTICATION, 0, new Pass());
        assertEquals(200, api.get("/api/v1/health").status);
        assertEquals(200, api.get("/api/v1/probe").status);
        assertEquals(1, probe.calls.get());
        api.slots.remove(1);
        assertProblem(api.get("/api/v1/probe"), 503, "required-slot-empty");
        api.slots.require(List.of());
        assertEquals(200, api.get("/api/v1/probe").status, "the configuration change applies at once");
    }

    @Test
    @DisplayName("EXT-1: a resource added while a slow request is in flight: that request completes 200 on the old generation, the next one sees the new resource")
    void switchWithRequestInFlight() throws Exception {
        Slow slow = new Slow();
        Generation first = api.deploy(new Probe(), slow);
        assertProblem(api.get("/api/v1/added"), 404, "not-found");
        CompletableFuture<Resp> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return api.get("/api/v1/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(slow.entered.await(10, TimeUnit.SECONDS));
        assertEquals(1, first.inFlight());
        Generation second = api.deploy(new Probe(), slow, new Added());
        assertSame(second, api.generations.current());
        Resp added = api.get("/api/v1/added");
        assertEquals(200, added.status, added.body);
        assertFalse(first.destroyed(), "the old generation waits for its request");
        assertTrue(api.generations.retiring().contains(first));
        slow.release.countDown();
        Resp done = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, done.status, done.body);
        assertEquals("{\"slow\":\"done\"}", done.body);
        assertSame(first, first.terminated().get(10, TimeUnit.SECONDS), "destroyed once drained");
        assertFalse(second.destroyed());
        assertEquals(200, api.get("/api/v1/probe").status);
    }

    @Test
    @DisplayName("EXT-1: a generation that never drains is destroyed after the grace period")
    void graceEndsTheWait() throws Exception {
        api.close();
        api = new ApiHarness(Duration.ofMillis(200));
        Slow slow = new Slow();
        Generation first = api.deploy(slow);
        CompletableFuture<Resp> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return api.get("/api/v1/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(slow.entered.await(10, TimeUnit.SECONDS));
        api.deploy(new Probe());
        assertSame(first, first.terminated().get(10, TimeUnit.SECONDS));
        assertEquals(1, first.inFlight(), "destroyed with the request still running");
        slow.release.countDown();
        inFlight.get(20, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("EXT-1: without resources there is no generation; the API answers 503 again")
    void noResourcesNoGeneration() throws Exception {
        Generation g = api.deploy(new Probe());
        api.generations.install(null);
        assertSame(g, g.terminated().get(10, TimeUnit.SECONDS));
        assertProblem(api.get("/api/v1/probe"), 503, "unavailable");
    }

    @Test
    @DisplayName("EXT-3: openapi.json describes the current generation: a resource added later appears, jobs are secured, health is public")
    void openApiPerGeneration() throws Exception {
        HealthResource health = new HealthResource();
        api.deploy(health);
        Resp firstResp = api.get("/api/v1/openapi.json");
        assertEquals(200, firstResp.status, firstResp.body);
        JsonNode first = JSON.readTree(firstResp.body);
        assertEquals(List.of("/health"), List.copyOf(iterable(first.get("paths").fieldNames())),
                "exactly the generation's resources");
        api.deploy(health, new JobResource(new JobResourceTest.Jobs()));
        Resp r = api.get("/api/v1/openapi.json");
        assertEquals(200, r.status, r.body);
        JsonNode doc = JSON.readTree(r.body);
        assertTrue(doc.get("paths").has("/jobs"), "the new generation's document: " + doc.get("paths"));
        JsonNode scheme = doc.at("/components/securitySchemes/" + RestConstants.SECURITY_SCHEME);
        assertEquals("http", scheme.get("type").asText());
        assertEquals("bearer", scheme.get("scheme").asText());
        for (String path : List.of("/jobs", "/jobs/{id}", "/jobs/{id}/cancel")) {
            doc.get("paths").get(path).fields().forEachRemaining(op -> {
                JsonNode security = op.getValue().get("security");
                assertNotNull(security, path + " " + op.getKey() + " declares security");
                assertTrue(security.get(0).has(RestConstants.SECURITY_SCHEME));
                assertTrue(op.getValue().get("responses").has("401"), path);
                assertTrue(op.getValue().get("responses").has("403"), path);
            });
        }
        assertNull(doc.at("/paths/~1health/get").get("security"), "health stays public");
        assertEquals("/api/v1", doc.at("/servers/0/url").asText());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    @DisplayName("both servlets are registered through one and the same HttpContext")
    void oneHttpContext() throws Exception {
        List<Object[]> calls = new ArrayList<>();
        HttpContext shared = (HttpContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpContext.class}, (p, m, a) -> null);
        HttpService http = fakeHttp(shared, calls, null);
        RestServer.registerServlets(http, api.api);
        assertEquals(2, calls.size());
        assertEquals(RestConstants.BASE_PATH, calls.get(0)[0]);
        assertSame(api.api, calls.get(0)[1]);
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
        assertThrows(NamespaceException.class, () -> RestServer.registerServlets(http, api.api));
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

    @Test
    @DisplayName("EXT-1: a path under the API that reaches the fallback (the API servlet not registered: the REST bundle restarting) is 503 with Retry-After, not 404")
    void fallbackUnderTheApiIsUnavailable() throws Exception {
        org.eclipse.jetty.server.Server alone = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.LocalConnector local = new org.eclipse.jetty.server.LocalConnector(alone);
        alone.addConnector(local);
        org.eclipse.jetty.servlet.ServletContextHandler context = new org.eclipse.jetty.servlet.ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new org.eclipse.jetty.servlet.ServletHolder(new FallbackServlet()), "/");
        alone.setHandler(context);
        alone.start();
        try {
            for (String path : List.of("/api/v1/me", "/api/v1")) {
                Resp r = new Resp(local.getResponse("GET " + path + " HTTP/1.0\r\n\r\n"));
                assertProblem(r, 503, "unavailable");
                assertEquals("1", r.get("Retry-After"));
            }
            assertProblem(new Resp(local.getResponse("GET /api/v1x HTTP/1.0\r\n\r\n")), 404, "not-found");
        } finally {
            alone.stop();
        }
    }
}
