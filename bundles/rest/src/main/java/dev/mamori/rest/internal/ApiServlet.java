package dev.mamori.rest.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.servlet.AsyncContext;
import javax.servlet.ServletConfig;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.MDC;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

/**
 * The servlet at {@link RestConstants#BASE_PATH}: the entry of every API request. It binds the
 * request's {@link ExecutionContext} and the log MDC for the whole call, stamps when it arrived
 * ({@link RestConstants#ARRIVED}), refuses a request that did
 * not arrive over TLS ({@link TlsOnly}: 403 {@code tls-required}), lets it wait while what it needs
 * is being refilled ({@link Holds}, {@link Refilling}: a required slot, the resource for its path), then hands it
 * to the current {@link Generation} of the CXF server (through {@link Generations}, which counts it
 * in flight there), counted in {@link InFlight} for filters and resources that leave meanwhile.
 */
final class ApiServlet extends HttpServlet {
    /** Log MDC key of the request id. */
    static final String MDC_KEY = "requestId";
    /** Name of the servlet, also the name each generation's CXF controller sees. */
    static final String NAME = "mamori-api";
    /** What each generation's CXF servlet controller reads: no service list, no shared address updates. */
    static final Map<String, String> INIT_PARAMS;
    private static final long serialVersionUID = 1L;

    static {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hide-service-list-page", "true");
        p.put("disable-address-updates", "true");
        INIT_PARAMS = Collections.unmodifiableMap(p);
    }

    /** Request attribute: the request's execution context, kept across the dispatches of a request that waited. */
    static final String CONTEXT = "mamori.rest.context";
    /** Request attribute: when the request stops waiting at the latest. */
    static final String DEADLINE = "mamori.rest.deadline";
    /** Request attribute: what a wait without a thread came to ({@link #GO}, or a {@link Refilling.Blocker}). */
    static final String WOKEN = "mamori.rest.woken";
    /** The wait is over: go on. */
    static final String GO = "go";
    /** Before a safe request that met an unavailable service during a swap is tried again. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /** Seconds a client should wait after the hold time passed in vain: the swap takes longer than expected. */
    static final long RETRY_AFTER_SECONDS = 5;
    private final transient Generations generations;
    private final transient Supplier<TlsOnly> transport;
    private final transient Holds holds;
    private final transient InFlight inFlight;

    /**
     * @param generations the CXF server generations requests go to
     * @param transport   who may reach the API without TLS on this connection (read per request)
     * @param holds       where requests wait for a refill
     * @param inFlight    the requests under way
     */
    ApiServlet(Generations generations, Supplier<TlsOnly> transport, Holds holds, InFlight inFlight) {
        this.generations = generations;
        this.transport = transport;
        this.holds = holds;
        this.inFlight = inFlight;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        // a request that waited without a thread comes back in a dispatch of its own: the same context and id
        Object kept = request.getAttribute(CONTEXT);
        if (!(kept instanceof ExecutionContext)) {
            // stamped once, before the request may wait: a per-client limit counts it by when the client sent it,
            // not by when a hold let it go on together with everything that came meanwhile
            request.setAttribute(RestConstants.ARRIVED, holds.now());
        }
        ExecutionContext context = kept instanceof ExecutionContext ? (ExecutionContext) kept : contextOf(request, true);
        MDC.put(MDC_KEY, context.requestId());
        try (ExecutionContext.Binding bound = ExecutionContext.bind(context)) {
            if (!transport.get().admits(request)) {
                // whatever the container's connectors: plain HTTP never reaches a resource (CRY-1); no
                // redirect, which would teach clients that sending credentials in clear is answered
                ServletProblems.write(request, response, 403, "tls-required", "TLS Required",
                        "The API is served over HTTPS only.");
                return;
            }
            if (!knownCharset(request.getHeader("Content-Type"))) {
                // before anything reads the body: Jetty and CXF would fail on it with a 500 (an HTML page, a stack trace
                // in the log per request - found by an outside attack, anonymous)
                ServletProblems.write(request, response, 415, "unsupported-charset", "Unsupported Media Type",
                        "The Content-Type names a charset this server does not know; use UTF-8.");
                return;
            }
            if (request.getContentType() == null && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null)) {
                // a body of no stated type: CXF answers 415 too, but logs an ERROR for it - anyone could fill the error count
                ServletProblems.write(request, response, 415, "unsupported-media-type", "Unsupported Media Type",
                        "A request with a body names its type in Content-Type (application/json for the API's JSON bodies).");
                return;
            }
            request.setAttribute(CONTEXT, context);
            serve(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /**
     * @param contentType a Content-Type header, or null
     * @return whether it names no charset, or one (token or quoted string) that Java knows
     */
    static boolean knownCharset(String contentType) {
        if (contentType == null) {
            return true;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                continue;
            }
            String value = param.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            try {
                if (value.isEmpty() || !java.nio.charset.Charset.isSupported(value)) {
                    return false;
                }
            } catch (java.nio.charset.IllegalCharsetNameException e) {
                return false;
            }
        }
        return true;
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getPathInfo();
        Object kept = request.getAttribute(DEADLINE);
        Instant deadline = kept instanceof Instant ? (Instant) kept : holds.deadline(arrived(request));
        request.setAttribute(DEADLINE, deadline);
        Object woken = request.getAttribute(WOKEN);
        request.removeAttribute(WOKEN);
        if (woken instanceof Refilling.Blocker) {
            answer(request, response, (Refilling.Blocker) woken);
            return;
        }
        while (true) {
            // counted before the check: a filter or resource that leaves after it waits for this request
            long ticket = inFlight.enter();
            boolean retry = false;
            try {
                if (holds.blocker(path) == null) {
                    if (!Retrying.safe(request)) {
                        dispatch(request, response);
                        return;
                    }
                    Retrying held = new Retrying(request, response, () -> holds.mayRetry(deadline, RETRY_PAUSE));
                    dispatch(request, held);
                    if (!held.swallowed()) {
                        return;
                    }
                    retry = true;
                }
            } finally {
                inFlight.exit(ticket);
            }
            if (retry) {
                // a service it needed was unavailable for a moment during a swap: try again shortly, nothing was sent
                response.reset();
                request.removeAttribute(Retrying.TRANSIENT);
                if (request.isAsyncSupported()) {
                    AsyncContext async = request.startAsync();
                    async.setTimeout(holds.hold().toMillis() + TimeUnit.SECONDS.toMillis(30));
                    if (!holds.pause(RETRY_PAUSE, result -> resume(async, request, result))) {
                        resume(async, request, null);
                    }
                    return;
                }
                holds.sleep(RETRY_PAUSE);
                continue;
            }
            if (request.isAsyncSupported()) {
                park(request, path, deadline);
                return;
            }
            Refilling.Blocker waited = holds.await(path, deadline);
            if (waited != null) {
                answer(request, response, waited);
                return;
            }
        }
    }

    /** @return when the request arrived ({@link RestConstants#ARRIVED}) */
    private Instant arrived(HttpServletRequest request) {
        Object arrived = request.getAttribute(RestConstants.ARRIVED);
        return arrived instanceof Instant ? (Instant) arrived : holds.now();
    }

    /**
     * Waits without a container thread: the request is dispatched again when it may go on or its
     * time is up, with what the wait came to in {@link #WOKEN}.
     */
    private void park(HttpServletRequest request, String path, Instant deadline) {
        AsyncContext async = request.startAsync();
        // our own deadline ends the wait; the container's timeout only guards against a wake that never comes
        async.setTimeout(holds.hold().toMillis() + TimeUnit.SECONDS.toMillis(30));
        Holds.Parking parking = holds.park(path, deadline, result -> resume(async, request, result));
        if (!parking.parked()) {
            resume(async, request, parking.blocker());
        }
    }

    private static void resume(AsyncContext async, HttpServletRequest request, Refilling.Blocker result) {
        request.setAttribute(WOKEN, result == null ? GO : result);
        try {
            async.dispatch();
        } catch (IllegalStateException e) {
            // the container gave up on it already (its timeout, the client gone): nothing to resume
        }
    }

    /** After waiting in vain. */
    private void answer(HttpServletRequest request, HttpServletResponse response, Refilling.Blocker waited)
            throws ServletException, IOException {
        if (waited == Refilling.Blocker.SLOTS) {
            // the gate answers 503 required-slot-empty, naming what is missing
            long t = inFlight.enter();
            try {
                dispatch(request, response);
            } finally {
                inFlight.exit(t);
            }
            return;
        }
        boolean closed = waited == Refilling.Blocker.CLOSED;
        response.setHeader("Retry-After", Long.toString(closed ? 1 : RETRY_AFTER_SECONDS));
        ServletProblems.write(request, response, 503, closed ? "unavailable" : "resource-unavailable", "Service Unavailable",
                closed ? "The API is restarting; retry shortly." : "The resource at this path is being replaced; retry shortly.");
    }

    private void dispatch(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!generations.dispatch(request, response)) {
            // no live server before the first build or between create and start: CXF would
            // answer text/plain (and log "Can't find the request ... Observer")
            response.setHeader("Retry-After", "1");
            ServletProblems.write(request, response, 503, "unavailable", "Service Unavailable",
                    "The API is starting; retry shortly.");
        }
    }

    /**
     * @param request      the servlet request
     * @param reuseCallerId whether a safe {@code X-Request-Id} from the caller becomes the request id
     * @return the request's context: channel REST, request id, client address, user agent
     */
    static ExecutionContext contextOf(HttpServletRequest request, boolean reuseCallerId) {
        String supplied = request.getHeader(RestConstants.REQUEST_ID_HEADER);
        ExecutionContext.Builder b = ExecutionContext.builder(Channel.REST)
                .clientIp(request.getRemoteAddr())
                .userAgent(request.getHeader("User-Agent"));
        if (reuseCallerId && ExecutionContext.isSafeRequestId(supplied)) {
            b.requestId(supplied);
        }
        return b.build();
    }

    /**
     * @return the servlet configuration a generation's CXF controller reads; the servlet context is
     *         this servlet's, looked up when a request needs it (after the container's init)
     */
    ServletConfig controllerConfig() {
        return new ServletConfig() {
            @Override
            public String getServletName() {
                return NAME;
            }

            @Override
            public ServletContext getServletContext() {
                return ApiServlet.this.getServletContext();
            }

            @Override
            public String getInitParameter(String name) {
                return INIT_PARAMS.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(INIT_PARAMS.keySet());
            }
        };
    }
}
