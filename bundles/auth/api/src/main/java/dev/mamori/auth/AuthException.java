package dev.mamori.auth;

import java.time.Duration;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.MamoriException;

/** An error of the auth capability; its code is one of {@link AuthErrors}. */
public class AuthException extends MamoriException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code    one of {@link AuthErrors}
     * @param message what happened, safe to show
     */
    public AuthException(ErrorCode code, String message) {
        super(code, message);
    }

    /**
     * @param code       one of {@link AuthErrors}
     * @param message    what happened, safe to show
     * @param retryAfter when the caller may try again
     */
    public AuthException(ErrorCode code, String message, Duration retryAfter) {
        super(code, message, null, retryAfter);
    }
}
