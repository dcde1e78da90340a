package dev.mamori.platform.context;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * Who acts, for which tenant, from where and why: one immutable value per call, bound to the
 * calling thread by the adapter that received the call (the REST chain, a shell session, the job
 * runner) and readable by every capability through {@link #current()}. Nobody derives the caller
 * from JAAS or thread locals of their own.
 *
 * <p>A context is bound for a scope: {@link #call(Supplier)} for a piece of work, or
 * {@link #bind(ExecutionContext)} with try-with-resources where the scope is a servlet call or a
 * shell command. Inside a binding, filters refine it with {@link #amend(UnaryOperator)} (the
 * authentication slot adds the principal, the tenant slot the tenant); the previous context is
 * back when the scope ends, whatever happened.
 */
public final class ExecutionContext {
    private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Channel channel;
    private final Principal principal;
    private final String tenantId;
    private final String requestId;
    private final String clientIp;
    private final String userAgent;
    private final String purpose;

    private ExecutionContext(Builder b) {
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.principal = b.principal;
        this.tenantId = b.tenantId;
        this.requestId = b.requestId != null ? b.requestId : newRequestId();
        this.clientIp = b.clientIp;
        this.userAgent = b.userAgent;
        this.purpose = b.purpose;
    }

    /** A mutable frame, so that {@link #amend} can refine the context of the enclosing binding. */
    private static final class Frame {
        ExecutionContext value;
        final Frame outer;

        Frame(ExecutionContext value, Frame outer) {
            this.value = value;
            this.outer = outer;
        }
    }

    /** The scope of a {@link #bind} call; closing it restores the previous context. */
    public static final class Binding implements AutoCloseable {
        private final Frame frame;
        private boolean closed;

        private Binding(Frame frame) {
            this.frame = frame;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // also when closed out of order: the thread goes back to what was bound before this binding
            if (frame.outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(frame.outer);
            }
        }
    }

    /**
     * @param channel where the call came in
     * @return a builder with a fresh request id
     */
    public static Builder builder(Channel channel) {
        return new Builder(channel);
    }

    /**
     * @param component name of the platform component acting, e.g. {@code vault.maintenance}
     * @return a context for work the platform does on its own account (channel JOB)
     */
    public static ExecutionContext system(String component) {
        return builder(Channel.JOB).principal(Principal.system(component)).build();
    }

    /** @return the context bound to this thread, if any */
    public static Optional<ExecutionContext> current() {
        Frame f = CURRENT.get();
        return f == null ? Optional.empty() : Optional.of(f.value);
    }

    /**
     * @return the context bound to this thread
     * @throws MamoriException {@code no-execution-context} if none is bound
     */
    public static ExecutionContext require() {
        return current().orElseThrow(() -> new MamoriException(PlatformErrors.NO_EXECUTION_CONTEXT,
                "This operation needs to know who is acting, and no execution context is bound."));
    }

    /**
     * Binds {@code context} until the returned binding is closed.
     *
     * @param context the context
     * @return the binding; close it in a {@code finally} (try-with-resources)
     */
    public static Binding bind(ExecutionContext context) {
        Frame frame = new Frame(Objects.requireNonNull(context, "context"), CURRENT.get());
        CURRENT.set(frame);
        return new Binding(frame);
    }

    /**
     * Refines the context of the current binding for the rest of its scope (REST filters).
     *
     * @param change how to derive the new context from the current one
     * @return the new context
     * @throws MamoriException {@code no-execution-context} if nothing is bound
     */
    public static ExecutionContext amend(UnaryOperator<ExecutionContext> change) {
        Frame f = CURRENT.get();
        if (f == null) {
            throw new MamoriException(PlatformErrors.NO_EXECUTION_CONTEXT, "No execution context is bound to refine.");
        }
        f.value = Objects.requireNonNull(change.apply(f.value), "amended context");
        return f.value;
    }

    /**
     * Runs {@code work} with this context bound, then restores the previous one.
     *
     * @param work what to run
     * @param <T>  result type
     * @return what {@code work} returned
     */
    public <T> T call(Supplier<T> work) {
        try (Binding b = bind(this)) {
            return work.get();
        }
    }

    /** @param work what to run with this context bound */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * @param kinds the kinds allowed
     * @return the principal, if it is of one of those kinds and has signed in completely
     * @throws MamoriException {@code unauthenticated} without a principal, {@code sign-in-incomplete}
     *         for one half-way through signing in ({@link Assurance}), {@code forbidden} for another kind
     */
    public Principal requirePrincipal(PrincipalKind... kinds) {
        if (principal == null) {
            throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "This operation needs an authenticated caller.");
        }
        if (!principal.assurance().complete()) {
            // the MFA slot stops such a caller before any resource; this holds where no filter ran
            throw new MamoriException(PlatformErrors.SIGN_IN_INCOMPLETE, "Finish signing in first: "
                    + (principal.assurance() == Assurance.ENROLMENT_PENDING ? "enrol a second factor." : "verify the second factor."));
        }
        for (PrincipalKind k : kinds) {
            if (principal.kind() == k) {
                return principal;
            }
        }
        throw new MamoriException(PlatformErrors.FORBIDDEN, "This operation is not open to " + principal.kind().name()
                .toLowerCase(java.util.Locale.ROOT) + " accounts.");
    }

    /** @return a builder starting from this context (same request id) */
    public Builder toBuilder() {
        Builder b = new Builder(channel);
        b.principal = principal;
        b.tenantId = tenantId;
        b.requestId = requestId;
        b.clientIp = clientIp;
        b.userAgent = userAgent;
        b.purpose = purpose;
        return b;
    }

    /** @param tenantId tenant id, or null @return this context for that tenant */
    public ExecutionContext withTenant(String tenantId) {
        return toBuilder().tenant(tenantId).build();
    }

    /** @param principal who acts @return this context with that principal */
    public ExecutionContext withPrincipal(Principal principal) {
        return toBuilder().principal(principal).build();
    }

    /** @param purpose why, or null @return this context with that purpose */
    public ExecutionContext withPurpose(String purpose) {
        return toBuilder().purpose(purpose).build();
    }

    /** @return where the call came in */
    public Channel channel() {
        return channel;
    }

    /** @return who acts, if known */
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    /** @return the bound tenant's id, if any */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** @return the request id (also in the log's MDC and the {@code X-Request-Id} header) */
    public String requestId() {
        return requestId;
    }

    /** @return the caller's IP address, if known */
    public Optional<String> clientIp() {
        return Optional.ofNullable(clientIp);
    }

    /** @return the caller's user agent, if known */
    public Optional<String> userAgent() {
        return Optional.ofNullable(userAgent);
    }

    /** @return why the platform acts (a {@link PlatformPurpose} code), if said */
    public Optional<String> purpose() {
        return Optional.ofNullable(purpose);
    }

    /**
     * @param candidate a request id a caller sent
     * @return whether it can be reused as is: it cannot smuggle anything into headers or logs (SEC-7)
     */
    public static boolean isSafeRequestId(String candidate) {
        return candidate != null && REQUEST_ID.matcher(candidate).matches();
    }

    /** @return a new random request id (24 hex digits) */
    public static String newRequestId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        char[] out = new char[24];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "ExecutionContext[" + channel + " " + (principal == null ? "anonymous" : principal)
                + (tenantId != null ? " tenant=" + tenantId : "") + " request=" + requestId
                + (clientIp != null ? " from " + clientIp : "") + (purpose != null ? " purpose=" + purpose : "") + "]";
    }

    /** Builds an {@link ExecutionContext}. */
    public static final class Builder {
        private final Channel channel;
        private Principal principal;
        private String tenantId;
        private String requestId;
        private String clientIp;
        private String userAgent;
        private String purpose;

        private Builder(Channel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
        }

        /** @param principal who acts, or null @return this */
        public Builder principal(Principal principal) {
            this.principal = principal;
            return this;
        }

        /** @param tenantId tenant id, or null @return this */
        public Builder tenant(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /**
         * @param requestId a request id; one that is not {@linkplain #isSafeRequestId safe} is replaced
         * @return this
         */
        public Builder requestId(String requestId) {
            this.requestId = isSafeRequestId(requestId) ? requestId : null;
            return this;
        }

        /** @param clientIp the caller's address, or null @return this */
        public Builder clientIp(String clientIp) {
            this.clientIp = clientIp == null ? null : printable(clientIp, 64);
            return this;
        }

        /** @param userAgent the caller's user agent, or null @return this */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent == null ? null : printable(userAgent, 256);
            return this;
        }

        /** @param purpose why, or null @return this */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** @return the context */
        public ExecutionContext build() {
            return new ExecutionContext(this);
        }

        /** Caller-controlled text goes into logs and events: no control characters, bounded. */
        private static String printable(String s, int max) {
            String cut = s.length() > max ? s.substring(0, max) : s;
            StringBuilder b = new StringBuilder(cut.length());
            cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
            return b.toString();
        }
    }
}
