package dev.mamori.vault;

/**
 * The key a ciphertext was encrypted under has been destroyed (crypto-shredding): the data is
 * unrecoverable by design. Code {@link VaultErrors#KEY_DESTROYED}.
 */
public class KeyDestroyedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = VaultErrors.KEY_DESTROYED.code();

    /** @param message what happened, safe to show */
    public KeyDestroyedException(String message) {
        super(VaultErrors.KEY_DESTROYED, message);
    }
}
