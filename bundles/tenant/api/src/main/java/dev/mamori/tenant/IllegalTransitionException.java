package dev.mamori.tenant;

/** The lifecycle does not allow this transition. Code {@value #CODE}. */
public class IllegalTransitionException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "illegal-transition";

    /** @param message what happened, safe to show */
    public IllegalTransitionException(String message) {
        super(CODE, message);
    }
}
