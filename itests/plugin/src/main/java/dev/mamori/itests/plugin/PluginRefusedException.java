package dev.mamori.itests.plugin;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

/** The plugin's own typed error. */
public class PluginRefusedException extends MamoriException {
    private static final long serialVersionUID = 1L;
    /** Its code. */
    public static final ErrorCode REFUSED = ErrorCode.of("it-plugin-refused", ErrorKind.FORBIDDEN, "Refused by the test plugin");

    /** @param message what happened */
    public PluginRefusedException(String message) {
        super(REFUSED, message);
    }
}
