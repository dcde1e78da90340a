package dev.mamori.vault;

/**
 * A ciphertext did not authenticate: it was tampered with, truncated, moved to another row or
 * tenant (other associated data), or it was offered with the wrong key. The vault deliberately
 * does not say which. No plaintext is returned. Code {@value #CODE}.
 */
public class DecryptionFailedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "decryption-failed";

    /** @param message what happened, safe to show */
    public DecryptionFailedException(String message) {
        super(CODE, message);
    }

    /**
     * @param message what happened, safe to show
     * @param cause   the underlying error
     */
    public DecryptionFailedException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
