package dev.mamori.tenant;

/** Tenant data was touched outside a tenant context. Code {@link TenantErrors#NO_CONTEXT}. */
public class NoTenantContextException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.NO_CONTEXT.code();

    /** @param message what happened, safe to show */
    public NoTenantContextException(String message) {
        super(TenantErrors.NO_CONTEXT, message);
    }
}
