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
    final List<Object> extensions = new ArrayList<>();
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
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

    /** A thread's state after a request. */
    record Leftover(ExecutionContext context, Map<String, String> mdc) {
        boolean clean() {
            return context == null && (mdc == null || mdc.isEmpty());
        }
    }

    ApiHarness(Duration grace) throws Exception {
        generations = new Generations(executor, grace);
        api = new ApiServlet(generations, () -> transport);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(api);
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

    /** Builds a generation with these resources and the current extensions, and installs it. */
    Generation deploy(Object... resources) {
        Generation g = RestServer.build(++numbers, bus, List.of(resources), extensions, () -> MAX_BODY, slots,
                api.controllerConfig());
        generations.install(g);
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
            body = raw.substring(split + 4);
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
