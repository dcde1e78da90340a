package dev.mamori.vault;

/**
 * The vault is sealed: the master key cannot be reached (keystore missing or corrupt, wrong
 * passphrase, key provider unavailable). Nothing is encrypted or decrypted while sealed; there is
 * never a plaintext fallback. Code {@value #CODE}.
 */
public class VaultSealedException extends VaultException {
    private static final long serialVersionUID = 1L;
    /** Stable error code. */
    public static final String CODE = "vault-sealed";

    /** @param message what happened, safe to show */
    public VaultSealedException(String message) {
        super(CODE, message);
    }

    /**
     * @param message what happened, safe to show
     * @param cause   the underlying error
     */
    public VaultSealedException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
