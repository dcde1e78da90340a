package dev.mamori.vault;

/**
 * A ciphertext did not authenticate: it was tampered with, truncated, moved to another row or
 * tenant (other associated data), or it was offered with the wrong key. The vault deliberately
 * does not say which. No plaintext is returned. Code {@link VaultErrors#DECRYPTION_FAILED}.
 */
public class DecryptionFailedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = VaultErrors.DECRYPTION_FAILED.code();

    /** @param message what happened, safe to show */
    public DecryptionFailedException(String message) {
        super(VaultErrors.DECRYPTION_FAILED, message);
    }

    /**
     * @param message what happened, safe to show
     * @param cause   the underlying error
     */
    public DecryptionFailedException(String message, Throwable cause) {
        super(VaultErrors.DECRYPTION_FAILED, message, cause);
    }
}
