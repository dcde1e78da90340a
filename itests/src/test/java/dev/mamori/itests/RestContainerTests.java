package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The REST base in the running server over HTTPS: health, problem+json, headers, limits, request ids. */
public abstract class RestContainerTests extends VaultContainerTests {
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    @Test
    public void health_reportsLiveAndReadyWithBothDataSources() throws Exception {
        // a test before this one may have added or removed a resource: the API is not ready while it is rebuilt for it
        Wait.until("the server ready", java.time.Duration.ofSeconds(30), () -> https.get("/api/v1/health").statusCode() == 200);
        HttpResponse<String> r = https.get("/api/v1/health");
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String body = r.body().replace(" ", "");
        assertTrue(body, body.contains("\"ready\":true"));
        assertTrue(body, body.contains("\"database\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"pii-database\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"vault\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"schema\":{\"status\":\"UP\""));
    }

    @Test
    public void sec9_securityHeadersOnEveryKindOfResponse() throws Exception {
        for (String path : List.of("/api/v1/health", "/api/v1/no-such-thing", "/no-such-thing", "/api/v1/it-probe/fail")) {
            HttpResponse<String> r = https.get(path);
            SECURITY_HEADERS.forEach((k, v) -> assertEquals(path + " " + k, v, r.headers().firstValue(k).orElse(null)));
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(path + " CSP " + csp, csp.contains("frame-ancestors 'none'"));
            assertTrue(path + " HSTS", r.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
            assertTrue(path + " request id", r.headers().firstValue("X-Request-Id").isPresent());
        }
    }

    @Test
    public void unknownPaths_are404ProblemJson() throws Exception {
        for (String path : List.of("/api/v1/no-such-thing", "/no-such-thing", "/api/other", "/api/v1/health/x")) {
            HttpResponse<String> r = https.get(path);
            assertProblem(r, 404, "not-found");
        }
        // CXF's WADL and service list stay hidden: the API describes itself only through openapi.json
        assertProblem(https.get("/api/v1/health?_wadl"), 404, "not-found");
    }

    @Test
    public void malformedJson_is400ProblemJson() throws Exception {
        HttpResponse<String> r = https.post("/api/v1/it-probe", "application/json", HttpRequest.BodyPublishers.ofString("{\"a\": "));
        assertProblem(r, 400, "malformed-json");
        assertFalse(r.body(), r.body().contains("com.fasterxml"));
    }

    /** SEC-10: a body of exactly the configured limit is read; one byte more is 413, announced or streamed. */
    @Test
    public void sec10_bodyLimitIsExact_withLengthAndChunked() throws Exception {
        long limit = Long.parseLong(String.valueOf(config("dev.mamori.rest").get("max.body.bytes")));
        assertEquals("the shipped limit (etc/dev.mamori.rest.cfg)", 1_048_576L, limit);
        for (boolean chunked : new boolean[] {false, true}) {
            String how = chunked ? "chunked" : "Content-Length";
            HttpResponse<String> atLimit = postJson(jsonOfSize(limit), chunked);
            assertEquals(how + ": " + atLimit.body(), 200, atLimit.statusCode());
            assertTrue(how + ": " + atLimit.body(), atLimit.body().replace(" ", "").contains("\"size\":0"));
            HttpResponse<String> over = postJson(jsonOfSize(limit + 1), chunked);
            assertProblem(over, 413, "payload-too-large");
            assertTrue(how + ": " + over.body(), over.body().contains("limit of " + limit + " bytes"));
        }
    }

    /**
     * SEC-10 (issue #15): a resource method declares its own limit with the exported {@code @BodyLimit}
     * (the probe's attachments: 2 MiB), exact with Content-Length and chunked, while every other
     * method keeps the shipped 1 MiB; the ceiling is shipped at 32 MiB.
     */
    @Test
    public void sec10_bodyLimitPerMethod_attachmentsGetMore() throws Exception {
        assertEquals(33_554_432L, Long.parseLong(String.valueOf(config("dev.mamori.rest").get("max.body.bytes.ceiling"))));
        long limit = ProbeResource.ATTACHMENT_LIMIT;
        for (boolean chunked : new boolean[] {false, true}) {
            String how = chunked ? "chunked" : "Content-Length";
            HttpResponse<String> atLimit = post("/api/v1/it-probe/attachment", jsonOfSize(limit), chunked);
            assertEquals(how + ": " + atLimit.body(), 200, atLimit.statusCode());
            HttpResponse<String> over = post("/api/v1/it-probe/attachment", jsonOfSize(limit + 1), chunked);
            assertProblem(over, 413, "payload-too-large");
            assertTrue(how + ": " + over.body(), over.body().contains("limit of " + limit + " bytes"));
            assertProblem(post("/api/v1/it-probe", jsonOfSize(1_048_577L), chunked), 413, "payload-too-large");
        }
    }

    /**
     * EXT-1 (issue #15): Mamori's whiteboard reads mamori.rest.resource; a resource registered with the
     * standard osgi.jaxrs.resource only (as before) is still served in this release, with a warning.
     */
    @Test
    public void ext1_theStandardResourcePropertyStillWorksThisRelease() throws Exception {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("osgi.jaxrs.resource", "true");
        org.osgi.framework.ServiceRegistration<?> legacy = bundleContext.registerService(LegacyProbe.class, new LegacyProbe(), props);
        try {
            Wait.until("the resource registered the old way", java.time.Duration.ofSeconds(30),
                    () -> https.get("/api/v1/it-legacy").statusCode() == 200);
        } finally {
            legacy.unregister();
        }
    }

    /** A resource registered with the standard property only. */
    @javax.ws.rs.Path("/it-legacy")
    public static class LegacyProbe {
        /** @return a fixed body */
        @javax.ws.rs.GET
        @javax.ws.rs.Produces("application/json")
        public Map<String, Object> get() {
            return Map.of("legacy", true);
        }
    }

    /** A JSON object of exactly {@code size} bytes: braces around blanks. */
    private static byte[] jsonOfSize(long size) {
        byte[] body = new byte[Math.toIntExact(size)];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        return body;
    }

    /** Posts with a Content-Length, or streamed (no length: HTTP/1.1 chunked transfer encoding). */
    private static HttpResponse<String> postJson(byte[] body, boolean chunked) throws Exception {
        return post("/api/v1/it-probe", body, chunked);
    }

    private static HttpResponse<String> post(String path, byte[] body, boolean chunked) throws Exception {
        return https.post(path, "application/json", chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    public void wrongMediaType_is415ProblemJson() throws Exception {
        assertProblem(https.post("/api/v1/it-probe", "text/plain", HttpRequest.BodyPublishers.ofString("hello")),
                415, "unsupported-media-type");
    }

    @Test
    public void serverFault_is500WithRequestIdAndNothingInternal() throws Exception {
        HttpResponse<String> r = https.get("/api/v1/it-probe/fail");
        assertProblem(r, 500, "internal-error");
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(r.body(), r.body().contains("\"requestId\" : \"" + id + "\"") || r.body().contains("\"requestId\":\"" + id + "\""));
        assertFalse(r.body(), r.body().contains(ProbeResource.SECRET));
        assertFalse(r.body(), r.body().contains("Exception"));
        assertFalse(r.body(), r.body().contains("at com."));
    }

    @Test
    public void sec7_requestIdHeaderCannotBeForged() throws Exception {
        HttpResponse<String> r = https.send(request("/api/v1/health").header("X-Request-Id", "abc<script>x").GET());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(id.contains("<"));
        HttpResponse<String> ok = https.send(request("/api/v1/health").header("X-Request-Id", "trace-12345678").GET());
        assertEquals("trace-12345678", ok.headers().firstValue("X-Request-Id").orElse(null));
    }

    /**
     * SEC-7: outside the API the fallback answers 404 with a request id of its own - even a safe one
     * the API would keep is replaced - and its body repeats nothing of the request (path, query, id).
     */
    @Test
    public void sec7_fallback404EchoesNothing() throws Exception {
        String marker = "zq" + shortId();
        String callerId = "trace-" + marker;
        HttpResponse<String> r = https.send(request("/no-such-" + marker + "?q=" + marker).header("X-Request-Id", callerId).GET());
        assertProblem(r, 404, "not-found");
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertNotEquals("the caller's request id was taken", callerId, id);
        assertTrue("the body names the server's own id: " + r.body(), r.body().contains("\"requestId\":\"" + id + "\""));
        assertFalse(r.body(), r.body().contains(marker));
        r.headers().map().forEach((k, v) -> assertFalse(k + ": " + v, v.toString().contains(marker)));
        // the same id is kept by the API: the fallback's answer is its own rule, not a refused id
        HttpResponse<String> api = https.send(request("/api/v1/health").header("X-Request-Id", callerId).GET());
        assertEquals(callerId, api.headers().firstValue("X-Request-Id").orElse(null));
    }

    @Test
    public void openApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> r = https.get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"openapi\""));
        assertTrue(r.body().contains("\"/health\""));
        assertTrue(r.body().contains("getHealth"));
    }

}
