package dev.mamori.vault;

/**
 * Base of the vault's typed errors. {@link #code()} is a stable, machine-readable identifier
 * that REST maps to a problem type and the shell prints. Messages never contain key material
 * or plaintext.
 */
public class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code    stable error code
     * @param message human-readable explanation, safe to show to the caller
     */
    public VaultException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param code    stable error code
     * @param message human-readable explanation, safe to show to the caller
     * @param cause   the underlying error (never one that carries key material)
     */
    public VaultException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return stable error code */
    public String code() {
        return code;
    }
}
