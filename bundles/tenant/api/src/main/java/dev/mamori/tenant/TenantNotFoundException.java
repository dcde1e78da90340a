package dev.mamori.tenant;

/** No tenant matches the given id or slug. Code {@value #CODE}. */
public class TenantNotFoundException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "tenant-not-found";

    /** @param message what happened, safe to show */
    public TenantNotFoundException(String message) {
        super(CODE, message);
    }
}
