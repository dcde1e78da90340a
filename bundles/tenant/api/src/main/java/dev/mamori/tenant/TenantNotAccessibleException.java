package dev.mamori.tenant;

/** The tenant's data is not accessible in its current state. Code {@link TenantErrors#NOT_ACCESSIBLE}. */
public class TenantNotAccessibleException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.NOT_ACCESSIBLE.code();

    /** @param message what happened, safe to show */
    public TenantNotAccessibleException(String message) {
        super(TenantErrors.NOT_ACCESSIBLE, message);
    }
}
