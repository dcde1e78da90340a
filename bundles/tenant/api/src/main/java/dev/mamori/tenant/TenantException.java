package dev.mamori.tenant;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.MamoriException;

/**
 * Base of the tenant capability's typed errors: a {@link MamoriException} with one of the codes
 * of {@link TenantErrors}, which REST and the shell map by kind.
 */
public class TenantException extends MamoriException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code    the error code
     * @param message human-readable explanation, safe to show to the caller
     */
    public TenantException(ErrorCode code, String message) {
        super(code, message);
    }
}
