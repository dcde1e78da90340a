package dev.mamori.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;

import dev.mamori.rest.spi.RestConstants;

/**
 * Refuses bodies over the limit (SEC-10): at once when Content-Length says so, otherwise as
 * soon as the stream passes the limit, so a chunked upload cannot exhaust memory either.
 */
@PreMatching
@Priority(RestConstants.PRIORITY_BODY_LIMIT)
public final class BodyLimitFilter implements ContainerRequestFilter {
    private final LongSupplier limits;

    BodyLimitFilter(long limit) {
        this(() -> limit);
    }

    /** @param limits the current limit; read per request, so a configuration change needs no rebuild */
    BodyLimitFilter(LongSupplier limits) {
        this.limits = limits;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limits.getAsLong();
        int declared = request.getLength();
        if (declared > limit) {
            request.abortWith(tooLarge(request, limit).toResponse());
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream(), limit));
        }
    }

    private static Problem tooLarge(ContainerRequestContext request, long limit) {
        return Problems.of(request, "payload-too-large", 413, "Payload too large",
                "The request body exceeds the limit of " + limit + " bytes.");
    }

    /** Thrown when a streamed body passes the limit; mapped to 413. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        TooLargeException(long limit) {
            super("request body over " + limit + " bytes");
            this.limit = limit;
        }
    }

    static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }

        private void count(long n) throws TooLargeException {
            count += n;
            if (count > limit) {
                throw new TooLargeException(limit);
            }
        }
    }
}
