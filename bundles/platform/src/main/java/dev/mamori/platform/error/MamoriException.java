package dev.mamori.platform.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one base of every typed error a Mamori service throws. It carries a stable
 * {@link ErrorCode}; adapters map its {@link ErrorKind} (REST: status and problem type; shell: one
 * line), never the class. The message is for the caller: safe to show, without secrets, personal
 * data or internals.
 */
public class MamoriException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorCode errorCode;
    private final Duration retryAfter;

    /**
     * @param code    the error code
     * @param message what happened, safe to show
     */
    public MamoriException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    /**
     * @param code    the error code
     * @param message what happened, safe to show
     * @param cause   the underlying error (logged, never shown)
     */
    public MamoriException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, null);
    }

    /**
     * @param code       the error code
     * @param message    what happened, safe to show
     * @param cause      the underlying error, or null
     * @param retryAfter when the caller may try again (UNAVAILABLE, TOO_MANY_REQUESTS), or null
     */
    public MamoriException(ErrorCode code, String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
    }

    /** @return the stable code, e.g. {@code vault-sealed} */
    public String code() {
        return errorCode.code();
    }

    /** @return the declared code */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** @return the kind */
    public ErrorKind kind() {
        return errorCode.kind();
    }

    /** @return when the caller may retry, if the error says */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * @param e any exception
     * @return the first {@link MamoriException} in its cause chain (frameworks such as JPA wrap
     *         them), if there is one
     */
    public static Optional<MamoriException> find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MamoriException) {
                return Optional.of((MamoriException) t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
