package dev.mamori.vault.spi;

import org.osgi.annotation.versioning.ConsumerType;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultSealedException;

/**
 * Source of the master key (KEK) that wraps every data key (DEK) of the vault (CRY-3).
 *
 * <p>The KEK never has to leave the provider: the vault hands in a DEK to {@link #wrap} and gets
 * opaque bytes back, and hands those back to {@link #unwrap}. Wrapping is authenticated encryption
 * bound to a <em>context</em> the vault names (tenant, purpose, key id and version, or the person):
 * a wrapped key copied into another key's row does not unwrap there, so nobody with write access
 * to the database can swap one tenant's key into another tenant's place. So a provider can keep its KEKs in a
 * keystore file (the default), in an HSM through PKCS#11 ({@code C_WrapKey}/{@code C_UnwrapKey}
 * with {@code CKM_AES_KEY_WRAP_KWP}, the KEK a non-extractable token object) or in a cloud KMS
 * (its encrypt/decrypt or wrap calls, the KEK id being the KMS key version) without any change to
 * the vault.
 *
 * <p>KEKs are versioned: {@link #rotate()} creates a new version and makes it current; new wraps
 * use the current version and every older version stays able to unwrap what it wrapped, so a
 * master-key rotation re-wraps DEKs online without re-encrypting any data.
 *
 * <p>Register implementations as OSGi services with the {@value #PROVIDER_ID} property; the vault
 * binds only the one its configuration names (its {@code keyProvider.target} filter, default
 * {@code (vault.key.provider=keystore)}), never whichever ranks highest. Implementations must be thread-safe, must never log key
 * material, and must fail closed: while the KEK cannot be reached every method except {@link #id()}
 * and {@link #available()} throws {@link VaultSealedException} — never a fallback that leaves data
 * in clear.
 */
@ConsumerType
public interface KeyProvider {

    /** Service property naming the provider ({@code vault.key.provider=keystore}). */
    String PROVIDER_ID = "vault.key.provider";

    /** @return the provider's id, the value of its {@value #PROVIDER_ID} service property */
    String id();

    /**
     * Cheap check for health reporting; must not block for long.
     *
     * @return whether the KEK can be used right now (unlocked, reachable)
     */
    boolean available();

    /**
     * @return the id of the KEK version that {@link #wrap} uses now; unique for this provider and
     *         stable over restarts
     * @throws VaultSealedException if the KEK cannot be reached
     */
    String currentKekId();

    /**
     * Wraps a data key under the current KEK version, bound to {@code context} (AEAD associated data).
     *
     * @param dek     the raw data key (typically 32 bytes); not kept and not changed, the caller
     *                clears it
     * @param context what the key is (tenant, purpose, key id, version); the same bytes are needed
     *                to unwrap
     * @return the wrapped key, naming the KEK version that wrapped it
     * @throws VaultSealedException if the KEK cannot be reached
     */
    WrappedKey wrap(byte[] dek, byte[] context);

    /**
     * Unwraps a data key with the KEK version named in it, current or older.
     *
     * @param wrapped a key returned by {@link #wrap} or {@link #rewrap} of this provider
     * @param context the context it was wrapped with
     * @return the raw data key in a fresh array that the caller owns and must clear after use
     * @throws UnknownKeyException        if the named KEK version does not exist here
     * @throws DecryptionFailedException  if the wrapped bytes fail their integrity check
     *                                    (tampered with, wrapped by another KEK, or for another context)
     * @throws VaultSealedException       if the KEK cannot be reached
     */
    byte[] unwrap(WrappedKey wrapped, byte[] context);

    /**
     * Creates a new KEK version and makes it current. Older versions are kept for
     * {@link #unwrap}. A provider whose KEK is rotated outside (some KMS) may throw
     * {@link UnsupportedOperationException}.
     *
     * @return the id of the new current KEK version
     * @throws VaultSealedException if the KEK store cannot be reached
     * @throws dev.mamori.vault.VaultException (another code) if the new version cannot be stored;
     *         the current version is then unchanged
     */
    String rotate();

    /**
     * Re-wraps a data key under the current KEK version (master-key rotation). The default unwraps
     * and wraps in this JVM and clears the clear key at once; an HSM or KMS provider may override
     * it to re-wrap inside the device so the DEK is never in clear here at all.
     *
     * @param wrapped a key wrapped by any KEK version of this provider
     * @param context the context it was wrapped with (and is wrapped with again)
     * @return the same key wrapped by the current KEK version (the same object if it already is)
     * @throws UnknownKeyException       if the named KEK version does not exist here
     * @throws DecryptionFailedException if the wrapped bytes fail their integrity check
     * @throws VaultSealedException      if the KEK cannot be reached
     */
    default WrappedKey rewrap(WrappedKey wrapped, byte[] context) {
        if (wrapped.kekId().equals(currentKekId())) {
            return wrapped;
        }
        byte[] dek = unwrap(wrapped, context);
        try {
            return wrap(dek, context);
        } finally {
            java.util.Arrays.fill(dek, (byte) 0);
        }
    }

    /**
     * @return whether {@link #kekIds()} and {@link #destroy(String)} work; without them the vault
     *         refuses key cut-offs (crypto-shredding cannot reach backups) rather than pretend
     */
    default boolean canDestroy() {
        return false;
    }

    /**
     * @return the ids of every master key version this provider holds, oldest first
     * @throws UnsupportedOperationException if the provider cannot list them ({@link #canDestroy()} false)
     * @throws VaultSealedException if the KEK store cannot be reached
     */
    default java.util.List<String> kekIds() {
        throw new UnsupportedOperationException("Key provider '" + id() + "' cannot list master key versions.");
    }

    /**
     * Destroys one master key version for good: whatever it wrapped, wherever a copy of that lies
     * (database backups included), can no longer be unwrapped. The vault calls it only after it has
     * re-wrapped every key it still needs under the current version (a key cut-off). A PKCS#11
     * provider destroys the token object ({@code C_DestroyObject}); a KMS provider schedules the
     * key version's destruction.
     *
     * @param kekId a version other than the current one
     * @throws IllegalArgumentException      if {@code kekId} is the current version
     * @throws UnsupportedOperationException if this provider cannot destroy master keys; the
     *                                       vault then refuses cut-offs rather than pretend
     * @throws VaultSealedException          if the KEK store cannot be reached
     * @throws dev.mamori.vault.VaultException (another code) if the change cannot be stored; the
     *                                       version then still exists
     */
    default void destroy(String kekId) {
        throw new UnsupportedOperationException("Key provider '" + id() + "' cannot destroy master key versions.");
    }
}
