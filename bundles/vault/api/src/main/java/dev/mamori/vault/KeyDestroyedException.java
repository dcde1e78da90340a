package dev.mamori.vault;

/**
 * The key a ciphertext was encrypted under has been destroyed (crypto-shredding): the data is
 * unrecoverable by design. Code {@value #CODE}.
 */
public class KeyDestroyedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "key-destroyed";

    /** @param message what happened, safe to show */
    public KeyDestroyedException(String message) {
        super(CODE, message);
    }
}
