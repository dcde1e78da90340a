package dev.mamori.jetty.errors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The server's error handler: errors Jetty answers itself, before or outside any servlet
 * context (a header block over the limit, a URI it cannot decode, no context for the path),
 * become RFC 7807 {@code application/problem+json} with the API's security headers, like every
 * answer of the REST bundle, instead of Jetty's HTML page. Whatever the client accepts, and
 * without echoing anything of the request: the reason Jetty gives may quote the caller's bytes,
 * so type, title and detail come from the status alone.
 *
 * <p>Installed by this fragment's {@code jetty.xml} on Pax Web's Jetty server.
 */
public class ProblemErrorHandler extends ErrorHandler {
    /** Media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** HSTS, for requests that came over TLS. */
    static final String HSTS = "max-age=31536000; includeSubDomains";
    /**
     * The headers every API response carries (SEC-9), as dev.mamori.rest's SecurityHeaders sets
     * them; repeated here because a fragment of the Jetty bundle cannot see the REST bundle.
     */
    static final Map<String, String> HEADERS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        h.put("Pragma", "no-cache");
        HEADERS = Collections.unmodifiableMap(h);
    }

    /** The API's base path, as dev.mamori.rest serves it. */
    static final String API = "/api/v1";
    /** The answer for the API's paths while no servlet serves them; the REST bundle's own words. */
    static final String API_AWAY = "{\"type\":\"urn:mamori:problem:unavailable\",\"title\":\"Service Unavailable\",\"status\":503,"
            + "\"detail\":\"The API is restarting; retry shortly.\"}";

    /** @param uri a request URI @return whether it is the API's path or under it */
    static boolean underApi(String uri) {
        return uri != null && (uri.equals(API) || uri.startsWith(API + "/"));
    }

    /** No stacks, no servlet names, the cache policy of the API. */
    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
        setCacheControl(HEADERS.get("Cache-Control"));
    }

    /** Requests Jetty could not even parse (431, 400, 414, 505...): no dispatch, no request to speak of. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        HEADERS.forEach(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        return BufferUtil.toBuffer(body(status), StandardCharsets.UTF_8);
    }

    /** Every method gets a body: a problem is never an empty answer. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /**
     * Errors of a parsed request outside any context: problem+json whatever the Accept header says.
     * A path under the API that no context serves means the REST bundle is not running (stopping,
     * restarting): 503 with Retry-After, never a 404 that tells a client its resource is gone.
     */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
            int code, String message) throws IOException {
        HEADERS.forEach(response::setHeader);
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        response.setContentType(PROBLEM_JSON);
        String problem = body(code);
        if (code == 404 && underApi(request.getRequestURI())) {
            response.setStatus(503);
            response.setHeader("Retry-After", "1");
            problem = API_AWAY;
        }
        byte[] body = problem.getBytes(StandardCharsets.UTF_8);
        // as Jetty's own error pages do: into the response's buffer, completed without blocking
        ByteBuffer buffer = baseRequest.getResponse().getHttpOutput().getBuffer();
        BufferUtil.append(buffer, body, 0, body.length);
        baseRequest.getHttpChannel().sendResponseAndComplete();
    }

    /**
     * @param status an HTTP status
     * @return the problem document for it; nothing in it comes from the request
     */
    static String body(int status) {
        return "{\"type\":\"urn:mamori:problem:" + code(status) + "\",\"title\":\"" + title(status) + "\",\"status\":"
                + status + ",\"detail\":\"" + detail(status) + "\"}";
    }

    static String title(int status) {
        String m = reason(status);
        return m == null ? "HTTP " + status : m;
    }

    /** The problem code: the reason phrase as lower-case words, as the REST bundle names its codes. */
    static String code(int status) {
        String m = reason(status);
        if (m == null) {
            return "http-" + status;
        }
        return m.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** @return Jetty's reason phrase for a status it knows, else null */
    private static String reason(int status) {
        String m = HttpStatus.getMessage(status);
        return m == null || m.equals(Integer.toString(status)) ? null : m;
    }

    static String detail(int status) {
        switch (status) {
            case 400:
                return "The request is malformed and was not processed.";
            case 404:
                return "No resource at this path.";
            case 413:
                return "The request is too large.";
            case 414:
                return "The request URI is too long.";
            case 431:
                return "The request header fields are too large.";
            case 500:
                return "The server failed to handle the request.";
            case 503:
                return "The server is not available; retry shortly.";
            case 505:
                return "This HTTP version is not supported.";
            default:
                return title(status) + ".";
        }
    }
}
