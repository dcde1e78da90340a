package dev.mamori.tenant;

/** No such setting in the current tenant. Code {@link TenantErrors#SETTING_NOT_FOUND}. */
public class SettingNotFoundException extends TenantException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = TenantErrors.SETTING_NOT_FOUND.code();

    /** @param message what happened, safe to show */
    public SettingNotFoundException(String message) {
        super(TenantErrors.SETTING_NOT_FOUND, message);
    }
}
