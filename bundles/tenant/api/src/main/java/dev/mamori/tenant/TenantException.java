package dev.mamori.tenant;

/**
 * Base of the tenant capability's typed errors. {@link #code()} is a stable, machine-readable
 * identifier that REST maps to a problem type and the shell prints.
 */
public class TenantException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code    stable error code
     * @param message human-readable explanation, safe to show to the caller
     */
    public TenantException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** @return stable error code */
    public String code() {
        return code;
    }
}
