package dev.mamori.vault;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.MamoriException;

/**
 * Base of the vault's typed errors: a {@link MamoriException} with one of the codes of
 * {@link VaultErrors}. Messages never contain key material or plaintext.
 */
public class VaultException extends MamoriException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code    the error code
     * @param message human-readable explanation, safe to show to the caller
     */
    public VaultException(ErrorCode code, String message) {
        super(code, message);
    }

    /**
     * @param code    the error code
     * @param message human-readable explanation, safe to show to the caller
     * @param cause   the underlying error (never one that carries key material)
     */
    public VaultException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * @param code       the error code
     * @param message    human-readable explanation, safe to show to the caller
     * @param cause      the underlying error, or null
     * @param retryAfter when to retry, or null
     */
    public VaultException(ErrorCode code, String message, Throwable cause, java.time.Duration retryAfter) {
        super(code, message, cause, retryAfter);
    }
}
