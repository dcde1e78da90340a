package dev.mamori.vault.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * An unwrapped AES-256 data key (DEK) together with its {@link KeyRef}. Lives only in memory
 * (a cache of the vault while unsealed); what is persisted is its {@link #wrapWith wrapped} form.
 * {@link #toString()} shows the reference only. See {@link Zeroize} for why the key inside the
 * {@link SecretKeySpec} cannot be cleared.
 *
 * <p>Key separation (CRY-3): the data key itself is never used directly by the current formats.
 * Each use gets its own subkey, derived once when the key is made and kept here:
 * <pre>
 * envelope subkey = HKDF-Expand-SHA256(PRK = DEK, info = "mamori envelope v2", 32)   the XAES-256-GCM key of {@link Envelope} v2
 * stream subkey   = HKDF-Expand-SHA256(PRK = DEK, info = "mamori stream v2", 32)     the HMAC key of {@link StreamCipher} v2's per-stream KDF
 * index subkey    = HKDF-Expand-SHA256(PRK = DEK, info = "mamori blind index v1", 32) the HMAC-SHA256 key of {@link BlindIndex}
 * </pre>
 * (RFC 5869; the extract step is skipped because a DEK is already 32 uniformly random bytes.
 * HKDF-Expand of one block is HMAC-SHA256(DEK, info || 0x01).) The raw key is used only to read
 * the version 1 formats written before the separation, and as the HKDF key. The index subkey is
 * derived on first use rather than when the key is made: only a tenant's blind-index key ever
 * needs it, so no other key holds one.
 */
public final class DataKey {
    /** Length of a data key in bytes (AES-256). */
    public static final int LENGTH = 32;

    static final byte[] ENVELOPE_LABEL = "mamori envelope v2".getBytes(StandardCharsets.US_ASCII);
    static final byte[] STREAM_LABEL = "mamori stream v2".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BLIND_INDEX_LABEL = "mamori blind index v1".getBytes(StandardCharsets.US_ASCII);

    private final KeyRef ref;
    private final SecretKeySpec key;
    private final Xaes256Gcm envelopeKey;
    private final SecretKeySpec streamKey;
    /** Derived on first use; two threads deriving at once compute the same key, so no lock. */
    private volatile SecretKeySpec blindIndexKey;

    private DataKey(KeyRef ref, byte[] raw) {
        this.ref = ref;
        this.key = new SecretKeySpec(raw, "AES");
        byte[] env = null;
        byte[] str = null;
        try {
            env = hkdfExpand(raw, ENVELOPE_LABEL);
            str = hkdfExpand(raw, STREAM_LABEL);
            this.envelopeKey = new Xaes256Gcm(env);
            this.streamKey = new SecretKeySpec(str, "HmacSHA256");
        } finally {
            Zeroize.wipe(env, str);
        }
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
        return new DataKey(ref, raw);
    }

    /**
     * @param ref what to call the new key
     * @return a new random key from the thread's DRBG, instantiated at 256-bit strength
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
     * Wraps this key for storage, bound to {@code context}; the temporary clear copy is cleared
     * at once.
     *
     * @param provider the master key provider
     * @param context  what the key is (tenant, purpose, key id, version); the same bytes are
     *                 needed to unwrap it
     * @return the wrapped key
     */
    public WrappedKey wrapWith(KeyProvider provider, byte[] context) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(context, "context");
        byte[] raw = key.getEncoded();
        try {
            return provider.wrap(raw, context);
        } finally {
            Zeroize.wipe(raw);
        }
    }

    /** @return the raw data key: only for the version 1 formats */
    SecretKey secretKey() {
        return key;
    }

    /** @return XAES-256-GCM under the envelope subkey */
    Xaes256Gcm envelopeKey() {
        return envelopeKey;
    }

    /** @return the stream subkey, an HMAC-SHA256 key */
    SecretKey streamKey() {
        return streamKey;
    }

    /** @return the blind-index subkey, an HMAC-SHA256 key, derived on first use and then kept */
    SecretKey blindIndexKey() {
        SecretKeySpec k = blindIndexKey;
        if (k == null) {
            byte[] raw = key.getEncoded();
            byte[] sub = null;
            try {
                sub = hkdfExpand(raw, BLIND_INDEX_LABEL);
                k = new SecretKeySpec(sub, "HmacSHA256");
                blindIndexKey = k;
            } finally {
                Zeroize.wipe(raw, sub);
            }
        }
        return k;
    }

    /** RFC 5869 HKDF-Expand with SHA-256 for one 32-byte block: HMAC(prk, info || 0x01). */
    static byte[] hkdfExpand(byte[] prk, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }

    @Override
    public String toString() {
        return "DataKey[" + ref + "]";
    }
}
