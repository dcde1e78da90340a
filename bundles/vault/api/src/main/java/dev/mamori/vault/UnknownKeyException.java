package dev.mamori.vault;

/**
 * A ciphertext or wrapped key names a key (data key id and version, or master key id) that the
 * vault or key provider has never known. Code {@value #CODE}.
 */
public class UnknownKeyException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "unknown-key";

    /** @param message what happened, safe to show */
    public UnknownKeyException(String message) {
        super(CODE, message);
    }
}
