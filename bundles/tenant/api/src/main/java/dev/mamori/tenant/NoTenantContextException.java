package dev.mamori.tenant;

/** Tenant data was touched outside a tenant context. Code {@value #CODE}. */
public class NoTenantContextException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "no-tenant-context";

    /** @param message what happened, safe to show */
    public NoTenantContextException(String message) {
        super(CODE, message);
    }
}
