package dev.mamori.tenant;

/** The tenant data is invalid. Code {@link TenantErrors#INVALID_DATA}. */
public class InvalidTenantDataException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.INVALID_DATA.code();

    /** @param message what happened, safe to show */
    public InvalidTenantDataException(String message) {
        super(TenantErrors.INVALID_DATA, message);
    }
}
