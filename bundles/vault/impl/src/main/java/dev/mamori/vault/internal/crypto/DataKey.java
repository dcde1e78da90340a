package dev.mamori.vault.internal.crypto;

import java.util.Objects;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * An unwrapped AES-256 data key (DEK) together with its {@link KeyRef}. Lives only in memory
 * (a cache of the vault while unsealed); what is persisted is its {@link #wrapWith wrapped} form.
 * {@link #toString()} shows the reference only. See {@link Zeroize} for why the key inside the
 * {@link SecretKeySpec} cannot be cleared.
 */
public final class DataKey {
    /** Length of a data key in bytes (AES-256). */
    public static final int LENGTH = 32;

    private final KeyRef ref;
    private final SecretKeySpec key;

    private DataKey(KeyRef ref, SecretKeySpec key) {
        this.ref = ref;
        this.key = key;
    }

    /**
     * @param ref what to call the key
     * @param raw 32 key bytes, copied; the caller clears its array
     * @return the key
     */
    public static DataKey of(KeyRef ref, byte[] raw) {
        Objects.requireNonNull(ref, "ref");
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("a data key has " + LENGTH + " bytes");
        }
        return new DataKey(ref, new SecretKeySpec(raw, "AES"));
    }

    /**
     * @param ref what to call the new key
     * @return a new random key from the system's strong random source
     */
    public static DataKey generate(KeyRef ref) {
        byte[] raw = new byte[LENGTH];
        Nonces.strong().nextBytes(raw);
        try {
            return of(ref, raw);
        } finally {
            Zeroize.wipe(raw);
        }
    }

    /** @return the key's id and version */
    public KeyRef ref() {
        return ref;
    }

    /**
     * Wraps this key for storage; the temporary clear copy is cleared at once.
     *
     * @param provider the master key provider
     * @param context  what the key is (bound into the wrapping)
     * @return the wrapped key
     */
    public WrappedKey wrapWith(KeyProvider provider, byte[] context) {
        byte[] raw = key.getEncoded();
        try {
            return provider.wrap(raw, context);
        } finally {
            Zeroize.wipe(raw);
        }
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "DataKey[" + ref + "]";
    }
}
