package dev.mamori.vault.internal.crypto;

/**
 * Finds the data key a ciphertext header names. Lets decryption read the header first and then
 * ask for exactly the key version that was used.
 */
@FunctionalInterface
public interface KeyResolver {

    /**
     * @param ref the key id and version from the header
     * @return the key
     * @throws dev.mamori.vault.UnknownKeyException   if there never was such a key
     * @throws dev.mamori.vault.KeyDestroyedException if it was shredded
     * @throws dev.mamori.vault.VaultSealedException if keys cannot be unwrapped now
     */
    DataKey resolve(KeyRef ref);
}
