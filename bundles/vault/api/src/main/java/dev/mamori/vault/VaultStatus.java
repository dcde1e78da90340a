package dev.mamori.vault;

import java.util.Objects;

/**
 * Whether the vault is usable. SEALED: the master key is not available (missing keystore, wrong
 * passphrase, provider down); every operation then fails closed.
 */
public final class VaultStatus {
    private final boolean sealed;
    private final String detail;
    private final String keyProvider;

    /**
     * @param sealed      whether operations are refused
     * @param detail      short reason, safe to show (no secrets, no paths)
     * @param keyProvider id of the key provider in use, or null
     */
    public VaultStatus(boolean sealed, String detail, String keyProvider) {
        this.sealed = sealed;
        this.detail = Objects.requireNonNull(detail);
        this.keyProvider = keyProvider;
    }

    /** @return whether operations are refused */
    public boolean sealed() {
        return sealed;
    }

    /** @return short reason */
    public String detail() {
        return detail;
    }

    /** @return key provider id, or null when none is bound */
    public String keyProvider() {
        return keyProvider;
    }

    @Override
    public String toString() {
        return (sealed ? "SEALED" : "UNSEALED") + " (" + detail + ")";
    }
}
