package dev.mamori.tenant;

/** The lifecycle does not allow this transition. Code {@link TenantErrors#ILLEGAL_TRANSITION}. */
public class IllegalTransitionException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.ILLEGAL_TRANSITION.code();

    /** @param message what happened, safe to show */
    public IllegalTransitionException(String message) {
        super(TenantErrors.ILLEGAL_TRANSITION, message);
    }
}
