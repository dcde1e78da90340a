package dev.mamori.tenant;

/** The tenant data is invalid. Code {@value #CODE}. */
public class InvalidTenantDataException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "invalid-tenant-data";

    /** @param message what happened, safe to show */
    public InvalidTenantDataException(String message) {
        super(CODE, message);
    }
}
