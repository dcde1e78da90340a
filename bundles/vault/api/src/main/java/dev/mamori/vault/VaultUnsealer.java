package dev.mamori.vault;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Unseals the vault without a restart, for an operator who supplies the master-key passphrase
 * (for example after the server started without it). Offered by key providers that need one.
 */
@ProviderType
public interface VaultUnsealer {

    /**
     * Opens the master keys with {@code passphrase}. The array is cleared before returning.
     *
     * @param passphrase the master-key passphrase
     * @return whether the vault is unsealed now (true also if it already was)
     * @throws VaultSealedException if the passphrase is wrong or the keystore unusable
     */
    boolean unseal(char[] passphrase);

    /**
     * Creates the master keystore with {@code passphrase}, once, on an installation that has never
     * had keys (no wrapped key stored, no key escrow) — the production way to start, where the
     * passphrase comes from the environment and nothing is generated. The array is cleared.
     *
     * @param passphrase the new master-key passphrase (at least 16 characters)
     * @return whether the vault is unsealed now
     * @throws VaultException {@code keystore-missing} if keys exist already (a lost keystore is never
     *                        replaced: restore it), {@code vault-sealed} if it cannot be created
     */
    boolean initialize(char[] passphrase);
}
