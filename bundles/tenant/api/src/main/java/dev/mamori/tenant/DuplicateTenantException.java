package dev.mamori.tenant;

/** A tenant with this slug already exists. Code {@value #CODE}. */
public class DuplicateTenantException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "duplicate-tenant";

    /** @param message what happened, safe to show */
    public DuplicateTenantException(String message) {
        super(CODE, message);
    }
}
