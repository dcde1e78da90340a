package dev.mamori.tenant;

/** A tenant with this slug already exists. Code {@link TenantErrors#DUPLICATE}. */
public class DuplicateTenantException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.DUPLICATE.code();

    /** @param message what happened, safe to show */
    public DuplicateTenantException(String message) {
        super(TenantErrors.DUPLICATE, message);
    }
}
