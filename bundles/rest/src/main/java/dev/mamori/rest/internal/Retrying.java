package dev.mamori.rest.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

/**
 * The response of a safe request (GET, HEAD) while a bundle is being swapped: when a service the
 * resource needed was unavailable for a moment (a {@code MamoriException} of kind UNAVAILABLE, such as
 * the vault still unsealing after its bundle restarted), its 503 is held back - nothing is written, the
 * response is not committed - so that {@link ApiServlet} can try the request again instead of failing
 * it (EXT-1). Anything else passes straight through: the decision is taken when the body is first
 * written, by which time the status is set.
 */
final class Retrying extends HttpServletResponseWrapper {
    /** Request attribute set by {@link ProblemMapper}: the code of an UNAVAILABLE error. */
    static final String TRANSIENT = "mamori.rest.transient";
    private static final Set<String> SAFE = Set.of("GET", "HEAD");
    private final HttpServletRequest request;
    private final BooleanSupplier mayRetry;
    private Boolean swallowed;

    /**
     * @param request  the request
     * @param response the container's response
     * @param mayRetry whether there is still time and reason (a swap lately) to try again
     */
    Retrying(HttpServletRequest request, HttpServletResponse response, BooleanSupplier mayRetry) {
        super(response);
        this.request = request;
        this.mayRetry = mayRetry;
    }

    /** @param request a request @return whether it may be tried again at all */
    static boolean safe(HttpServletRequest request) {
        return SAFE.contains(request.getMethod());
    }

    /** @return whether the answer was held back (then the response must be reset and the request tried again) */
    boolean swallowed() {
        return swallowed == Boolean.TRUE;
    }

    private boolean swallow() {
        if (swallowed == null) {
            swallowed = getStatus() == 503 && request.getAttribute(TRANSIENT) != null && mayRetry.getAsBoolean();
        }
        return swallowed;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return swallow() ? Discard.STREAM : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return swallow() ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!swallow()) {
            super.flushBuffer();
        }
    }

    /** Where a held-back answer goes. */
    private static final class Discard extends ServletOutputStream {
        static final Discard STREAM = new Discard();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("not asynchronous");
        }

        @Override
        public void write(int b) {
            // held back
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // held back
        }
    }
}
