package dev.mamori.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;

import org.apache.cxf.jaxrs.model.OperationResourceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.rest.spi.BodyLimit;
import dev.mamori.rest.spi.RestConstants;

/**
 * Refuses bodies over the limit (SEC-10): at once when Content-Length says so, otherwise as soon
 * as the stream passes the limit, so a chunked upload cannot exhaust memory either. Two steps,
 * because the limit depends on the method: before matching, nothing past the ceiling is read on
 * any path (and the stream is counted from the first byte); once the method is known,
 * {@link PerMethod} lowers the limit to the method's ({@link BodyLimit}, else the default), before
 * any slot filter or the method reads a byte.
 */
@PreMatching
@Priority(RestConstants.PRIORITY_BODY_LIMIT)
public final class BodyLimitFilter implements ContainerRequestFilter {
    /** Request property holding the counting stream, so the per-method step can lower its limit. */
    static final String STREAM = "mamori.rest.bodyStream";
    private final Supplier<Limits> limits;

    /**
     * The limits in force.
     *
     * @param defaultLimit for methods that declare none
     * @param ceiling      the most any method may declare; never below the default
     */
    record Limits(long defaultLimit, long ceiling) {
        /** Keeps the default under the ceiling. */
        Limits {
            if (defaultLimit < 0 || ceiling < 0) {
                throw new IllegalArgumentException("body limits are not negative");
            }
            defaultLimit = Math.min(defaultLimit, ceiling);
        }

        /** @return one limit for every method */
        static Limits of(long limit) {
            return new Limits(limit, limit);
        }

        /** @param declared a method's {@link BodyLimit}, or null @return the limit for that method */
        long forMethod(BodyLimit declared) {
            return declared == null ? defaultLimit : Math.max(0, Math.min(declared.value(), ceiling));
        }
    }

    BodyLimitFilter(long limit) {
        this(() -> Limits.of(limit));
    }

    /** @param limits the current limits; read per request, so a configuration change needs no rebuild */
    BodyLimitFilter(Supplier<Limits> limits) {
        this.limits = limits;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Limits l = limits.get();
        request.setProperty(PerMethod.LIMITS, l);
        long ceiling = l.ceiling();
        int declared = request.getLength();
        if (declared > ceiling) {
            request.abortWith(tooLarge(request, ceiling));
            return;
        }
        if (request.hasEntity()) {
            Limited counted = new Limited(request.getEntityStream(), ceiling);
            request.setEntityStream(counted);
            request.setProperty(STREAM, counted);
        }
    }

    static javax.ws.rs.core.Response tooLarge(ContainerRequestContext request, long limit) {
        return Problems.of(request, "payload-too-large", 413, "Payload too large",
                "The request body exceeds the limit of " + limit + " bytes.").toResponse();
    }

    /**
     * After matching, before the slot chain: the matched method's limit ({@link BodyLimit} on the
     * method or its resource class, capped by the ceiling; else the default) for a
     * Content-Length and for the counted stream.
     */
    @Priority(RestConstants.PRIORITY_METHOD_BODY_LIMIT)
    static final class PerMethod implements ContainerRequestFilter {
        static final String LIMITS = "mamori.rest.bodyLimits";
        private static final Logger LOG = LoggerFactory.getLogger(BodyLimitFilter.class);
        private final Map<Method, Boolean> warned = new ConcurrentHashMap<>();

        @Override
        public void filter(ContainerRequestContext request) {
            Object l = request.getProperty(LIMITS);
            if (!(l instanceof Limits)) {
                return;
            }
            Limits limits = (Limits) l;
            OperationResourceInfo op = Matched.operation().orElse(null);
            BodyLimit declared = op == null ? null : Matched.annotation(op, BodyLimit.class);
            long limit = limits.forMethod(declared);
            if (declared != null && declared.value() > limits.ceiling()
                    && warned.putIfAbsent(op.getMethodToInvoke(), Boolean.TRUE) == null) {
                LOG.warn("{} declares a body limit of {} bytes, over the ceiling max.body.bytes.ceiling: {} bytes apply",
                        op.getMethodToInvoke(), declared.value(), limits.ceiling());
            }
            if (request.getLength() > limit) {
                request.abortWith(tooLarge(request, limit));
                return;
            }
            Object stream = request.getProperty(STREAM);
            if (stream instanceof Limited) {
                ((Limited) stream).limit(limit);
            }
        }
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
        private volatile long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        /** @param lower the limit for the rest of the body; never raised past the one it was counted with */
        void limit(long lower) {
            limit = Math.min(limit, lower);
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
