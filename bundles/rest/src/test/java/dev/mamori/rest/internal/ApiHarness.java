package dev.mamori.rest.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

/**
 * The API servlet and the fallback side by side in one servlet context, as RestServer registers
 * them, on Jetty 9.4 (what Pax Web 8 runs), with generations built as RestServer builds them but
 * without OSGi: resources, extensions and slot filters are handed in directly.
 */
final class ApiHarness implements AutoCloseable {
    static final long MAX_BODY = 1_048_576L;
    final Bus bus = BusFactory.newInstance().createBus();
    final SlotFilters slots = new SlotFilters();
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    /** Real time, which a test may move forward. */
    final AheadClock clock = new AheadClock();
    /** No waiting unless a test configures a hold time. */
    final Refilling refilling = new Refilling(clock, slots::missing, Duration.ZERO);
    final Holds holds = new Holds(refilling, executor, 100);
    final InFlight inFlight = new InFlight();
    /** Rebuilds asked for by {@link #contents}; a test builds with {@link #rebuild()} when it chooses. */
    final java.util.concurrent.atomic.AtomicInteger rebuildsAsked = new java.util.concurrent.atomic.AtomicInteger();
    final Contents contents = new Contents(slots, refilling, inFlight, Duration.ofSeconds(5), rebuildsAsked::incrementAndGet);
    /** The body limits generations read per request. */
    volatile BodyLimitFilter.Limits limits = BodyLimitFilter.Limits.of(MAX_BODY);
    final List<Object> extensions = new ArrayList<>();
    final Generations generations;
    final ApiServlet api;
    final org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
    final LocalConnector connector = new LocalConnector(jetty);
    /** Whether requests arrive as over TLS (Pax Web's HTTPS connector); most tests need it, the API refuses others. */
    volatile boolean secure = true;
    /** The client address requests seem to come from; null: the local connector's own. */
    volatile String remoteAddress;
    /** The trusted TLS-terminating proxies, as RestServer hands them to the API servlet. */
    volatile TlsOnly transport = TlsOnly.of();
    /** What each request left on its Jetty thread once the servlets returned: context and MDC. */
    final BlockingQueue<Leftover> leftovers = new LinkedBlockingQueue<>();
    private long numbers;

    /** The system clock plus an offset a test moves forward. */
    static final class AheadClock extends java.time.Clock {
        private volatile Duration ahead = Duration.ZERO;

        void advance(Duration d) {
            ahead = ahead.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(ahead);
        }
    }

    /** A thread's state after a request. */
    record Leftover(ExecutionContext context, Map<String, String> mdc) {
        boolean clean() {
            return context == null && (mdc == null || mdc.isEmpty());
        }
    }

    ApiHarness(Duration grace) throws Exception {
        this(grace, true);
    }

    /** @param async whether the API servlet may wait without a thread (Pax Web: async-supported) */
    ApiHarness(Duration grace, boolean async) throws Exception {
        generations = new Generations(executor, grace);
        api = new ApiServlet(generations, () -> transport, holds, inFlight);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(api);
        // as Pax Web makes it from the init parameter async-supported: requests wait without a thread
        holder.setAsyncSupported(async);
        RestServer.apiInitParams().forEach(holder::setInitParameter);
        context.addServlet(holder, RestConstants.BASE_PATH + "/*");
        context.addServlet(new ServletHolder(new FallbackServlet()), "/");
        HandlerWrapper afterwards = new HandlerWrapper() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException, ServletException {
                base.setSecure(secure);
                if (remoteAddress != null) {
                    base.setRemoteAddr(new java.net.InetSocketAddress(java.net.InetAddress.getByName(remoteAddress), 40000));
                }
                try {
                    super.handle(target, base, request, response);
                } finally {
                    leftovers.add(new Leftover(ExecutionContext.current().orElse(null), MDC.getCopyOfContextMap()));
                }
            }
        };
        afterwards.setHandler(context);
        jetty.setHandler(afterwards);
        jetty.start();
    }

    ApiHarness() throws Exception {
        this(Duration.ofSeconds(30));
    }

    /** @param hold the longest wait @param maxHeld most requests waiting at once */
    void hold(Duration hold, int maxHeld) {
        refilling.configure(hold);
        holds.configure(maxHeld);
    }

    /** Builds a generation with these resources and the current extensions, and installs it. */
    Generation deploy(Object... resources) {
        Generation g = Chain.build(++numbers, bus, List.of(resources), extensions, () -> limits, slots,
                api.controllerConfig());
        generations.install(g);
        return g;
    }

    /** Builds a generation from {@link #contents}, as RestServer's rebuild does, and installs it. */
    Generation rebuild() {
        Map<Long, Object> serving = contents.resources();
        List<Object> all = new ArrayList<>(extensions);
        all.addAll(contents.extensions());
        Generation g = serving.isEmpty() ? null : Chain.build(++numbers, bus, new ArrayList<>(serving.values()), all,
                () -> limits, slots, api.controllerConfig());
        generations.install(g);
        refilling.installed(serving.keySet());
        return g;
    }

    Resp get(String path, String... headers) throws Exception {
        return request("GET", path, headers);
    }

    Resp request(String method, String path, String... headers) throws Exception {
        StringBuilder raw = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\nHost: localhost\r\n");
        for (String h : headers) {
            raw.append(h).append("\r\n");
        }
        if (!"GET".equals(method)) {
            raw.append("Content-Length: 0\r\n");
        }
        raw.append("\r\n");
        return new Resp(connector.getResponse(raw.toString(), 30, TimeUnit.SECONDS));
    }

    /**
     * Posts a body, with a Content-Length or streamed (HTTP/1.1 chunked transfer encoding).
     *
     * @param path    the path
     * @param body    the body (ISO-8859-1 text)
     * @param chunked whether to send it in chunks without a length
     * @return the response
     */
    Resp post(String path, String body, boolean chunked) throws Exception {
        StringBuilder raw = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Connection: close\r\nContent-Type: application/json\r\n");
        if (chunked) {
            raw.append("Transfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < body.length(); i += 7) {
                String chunk = body.substring(i, Math.min(body.length(), i + 7));
                raw.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            raw.append("0\r\n\r\n");
        } else {
            raw.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        }
        return new Resp(connector.getResponse(raw.toString(), 30, TimeUnit.SECONDS));
    }

    /** @return what the latest request left on its thread (waits for the handler to return) */
    Leftover leftover() throws InterruptedException {
        Leftover l = leftovers.poll(10, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("no request finished");
        }
        return l;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        generations.close();
        executor.shutdownNow();
        bus.shutdown(true);
    }

    /** A parsed HTTP/1.0 response (no chunking to undo). */
    static final class Resp {
        final int status;
        final Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final String body;

        Resp(String raw) {
            if (raw == null) {
                throw new AssertionError("no response");
            }
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            String rest = raw.substring(split + 4);
            body = "chunked".equalsIgnoreCase(headers.get("Transfer-Encoding")) ? unchunk(rest) : rest;
        }

        private static String unchunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
                if (size == 0) {
                    return out.toString();
                }
                out.append(chunked, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
        }

        String get(String header) {
            return headers.get(header);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /**
     * slf4j-simple's MDC is a no-op; slf4j's basic adapter makes what the servlet leaves in the
     * MDC visible to the tests.
     */
    static MDCAdapter useRealMdc(MDCAdapter adapter) throws ReflectiveOperationException {
        Field f = MDC.class.getDeclaredField("mdcAdapter");
        f.setAccessible(true);
        MDCAdapter previous = (MDCAdapter) f.get(null);
        f.set(null, adapter == null ? new BasicMDCAdapter() : adapter);
        return previous;
    }
}
