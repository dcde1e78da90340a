package dev.mamori.tenant;

/** No tenant matches the given id or slug. Code {@link TenantErrors#NOT_FOUND}. */
public class TenantNotFoundException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.NOT_FOUND.code();

    /** @param message what happened, safe to show */
    public TenantNotFoundException(String message) {
        super(TenantErrors.NOT_FOUND, message);
    }
}
