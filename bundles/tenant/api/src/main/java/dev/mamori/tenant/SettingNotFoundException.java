package dev.mamori.tenant;

/** No such setting in the current tenant. Code {@value #CODE}. */
public class SettingNotFoundException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "setting-not-found";

    /** @param message what happened, safe to show */
    public SettingNotFoundException(String message) {
        super(CODE, message);
    }
}
