package dev.mamori.jetty.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The handler on a plain Jetty 9.4 server (what Pax Web 8 runs), installed through the
 * fragment's own jetty.xml, with one servlet context at /app standing in for Pax Web's.
 */
class ProblemErrorHandlerTest {
    private static final String MARKER = "caller-marker-7f3a";
    private Server server;
    private LocalConnector connector;

    /** The only servlet: answers 200. */
    public static final class Ok extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().write("ok");
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        // what Pax Web does with a /jetty.xml on its class path
        new XmlConfiguration(Resource.newClassPathResource("/jetty.xml")).configure(server);
        connector = new LocalConnector(server);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/app");
        context.addServlet(new ServletHolder(new Ok()), "/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /** A parsed HTTP/1.1 response with a Content-Length or no body. */
    static final class Resp {
        final int status;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final String body;
        final String raw;

        Resp(String raw) {
            this.raw = raw;
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            body = raw.substring(split + 4);
        }
    }

    private Resp send(String request) throws Exception {
        String raw = connector.getResponse(request, 10, TimeUnit.SECONDS);
        assertTrue(raw != null && !raw.isEmpty(), "no response");
        return new Resp(raw);
    }

    private static void assertProblem(Resp r, int status, String code) {
        assertEquals(status, r.status, r.raw);
        assertTrue(r.headers.get("Content-Type").startsWith(ProblemErrorHandler.PROBLEM_JSON), r.raw);
        assertTrue(r.body.startsWith("{\"type\":\"urn:mamori:problem:" + code + "\""), r.body);
        assertTrue(r.body.contains("\"status\":" + status), r.body);
        ProblemErrorHandler.HEADERS.forEach((k, v) -> assertEquals(v, r.headers.get(k), k));
        assertEquals("no-store", r.headers.get("Cache-Control"));
        assertFalse(r.raw.contains(MARKER), "caller input echoed: " + r.raw);
        assertFalse(r.raw.toLowerCase(java.util.Locale.ROOT).contains("<html"), r.raw);
    }

    @Test
    @DisplayName("the servlet context still answers normally")
    void normalRequest() throws Exception {
        Resp r = send("GET /app/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status, r.raw);
        assertEquals("ok", r.body);
    }

    @Test
    @DisplayName("SEC-9/SEC-10: a 20 KB header is refused 431 problem+json with the security headers, nothing echoed")
    void oversizedHeader() throws Exception {
        String big = MARKER + "x".repeat(20 * 1024);
        Resp r = send("GET /app/x HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
        assertProblem(r, 431, "request-header-fields-too-large");
        assertTrue(r.body.contains("\"title\":\"Request Header Fields Too Large\""), r.body);
    }

    @Test
    @DisplayName("SEC-9/SEC-5: a malformed URI (GET /%zz) is 400 problem+json, nothing echoed")
    void malformedUri() throws Exception {
        Resp r = send("GET /%zz" + MARKER + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertProblem(r, 400, "bad-request");
    }

    @Test
    @DisplayName("SEC-9: a malformed request line is 400 problem+json, nothing echoed")
    void malformedRequestLine() throws Exception {
        Resp r = send("GET /app HTTP/9." + MARKER + "\r\nHost: localhost\r\n\r\n");
        assertTrue(r.status == 400 || r.status == 505, r.raw);
        assertProblem(r, r.status, r.status == 400 ? "bad-request" : "http-version-not-supported");
    }

    @Test
    @DisplayName("SEC-9: an error outside any context is problem+json whatever the client accepts, never echoing the request")
    void outsideContext() throws Exception {
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            Resp r = send(method + " /" + MARKER + "?q=" + MARKER + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            assertProblem(r, 404, "not-found");
            assertTrue(r.body.endsWith("}"), r.body);
        }
    }

    @Test
    @DisplayName("problem documents name the status only")
    void documents() {
        assertEquals("{\"type\":\"urn:mamori:problem:bad-request\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"The request is malformed and was not processed.\"}", ProblemErrorHandler.body(400));
        assertEquals("uri-too-long", ProblemErrorHandler.code(414));
        assertEquals("http-599", ProblemErrorHandler.code(599));
    }

    @Test
    @DisplayName("EXT-1: a path under the API that no context serves (the REST bundle restarting) is 503 with Retry-After, not 404")
    void apiAway() throws Exception {
        for (String path : new String[] {"/api/v1/me", "/api/v1"}) {
            Resp r = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertProblem(r, 503, "unavailable");
            assertEquals("1", r.headers.get("Retry-After"));
        }
        assertProblem(send("GET /api/v1x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 404, "not-found");
    }
}
