package dev.mamori.vault;

/**
 * A ciphertext or wrapped key names a key (data key id and version, or master key id) that the
 * vault or key provider has never known. Code {@link VaultErrors#UNKNOWN_KEY}.
 */
public class UnknownKeyException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = VaultErrors.UNKNOWN_KEY.code();

    /** @param message what happened, safe to show */
    public UnknownKeyException(String message) {
        super(VaultErrors.UNKNOWN_KEY, message);
    }
}
