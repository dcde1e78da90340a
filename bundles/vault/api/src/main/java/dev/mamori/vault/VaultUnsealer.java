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
}
