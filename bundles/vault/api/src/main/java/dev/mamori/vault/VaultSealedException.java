package dev.mamori.vault;

/**
 * The vault is sealed: the master key cannot be reached (keystore missing or corrupt, wrong
 * passphrase, key provider unavailable). Nothing is encrypted or decrypted while sealed; there is
 * never a plaintext fallback. Code {@link VaultErrors#SEALED}.
 */
public class VaultSealedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** The stable error code, as a string. */
    public static final String CODE = VaultErrors.SEALED.code();

    /** @param message what happened, safe to show */
    public VaultSealedException(String message) {
        super(VaultErrors.SEALED, message, null, java.time.Duration.ofSeconds(30));
    }

    /**
     * @param message what happened, safe to show
     * @param cause   the underlying error
     */
    public VaultSealedException(String message, Throwable cause) {
        super(VaultErrors.SEALED, message, cause, java.time.Duration.ofSeconds(30));
    }
}
