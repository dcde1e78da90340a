package dev.mamori.tenant;

/** The tenant's data is not accessible in its current state. Code {@value #CODE}. */
public class TenantNotAccessibleException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "tenant-not-accessible";

    /** @param message what happened, safe to show */
    public TenantNotAccessibleException(String message) {
        super(CODE, message);
    }
}
