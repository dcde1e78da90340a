package dev.mamori.vault.internal.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.mamori.vault.DecryptionFailedException;

/**
 * Context-bound key wrapping (CRY-3): a data key is encrypted with AES-256-GCM under a master key
 * (KEK), with associated data that names the KEK and what the key is, so a wrapped key copied
 * into another key's row, another tenant's place or under another KEK id does not unwrap there.
 *
 * <pre>
 * wrapped = 0x02 (format version) || nonce (12, random) || ciphertext (key length) || GCM tag (16)
 * AAD     = "mamori vault key wrap v2" || 0x00 || length of kekId (4, big-endian) || kekId (UTF-8) || context
 * </pre>
 *
 * The label and the length-prefixed KEK id have fixed or stated lengths, so the context cannot be
 * shifted into them. A 32-byte data key wraps to 61 bytes. Random 96-bit nonces are fine here: a
 * KEK wraps one key per data key version, nowhere near the 2<sup>32</sup> limit of SP 800-38D.
 * Nothing else is accepted: AES key wrap (RFC 5649), used before, bound nothing, and such a
 * wrapped key is refused rather than unwrapped without its context. Each call copies the KEK into
 * a JDK key object and cipher that cannot be cleared (see {@link Zeroize}).
 */
public final class KeyWrap {
    /** Length of a key-encryption key (AES-256). */
    public static final int KEK_LENGTH = 32;
    /** Format version, the first byte of every wrapped key. */
    public static final int FORMAT_VERSION = 2;
    /** Length of the random nonce. */
    public static final int NONCE_LENGTH = 12;
    /** Length of the GCM tag. */
    public static final int TAG_LENGTH = 16;
    /** Bytes a wrapped key adds to the key: version, nonce and tag. */
    public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

    private static final byte[] LABEL = "mamori vault key wrap v2".getBytes(StandardCharsets.US_ASCII);

    private KeyWrap() {
    }

    /**
     * @param kek     the 32-byte key-encryption key; not kept
     * @param kekId   the id of that KEK (bound into the wrapped key)
     * @param key     the key to wrap (1 byte or more); not kept
     * @param context what the key is; the same bytes are needed to unwrap
     * @return the wrapped key, {@link #OVERHEAD} bytes longer than {@code key}
     */
    public static byte[] wrap(byte[] kek, String kekId, byte[] key, byte[] context) {
        checkKek(kek);
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("nothing to wrap");
        }
        byte[] out = new byte[OVERHEAD + key.length];
        out[0] = FORMAT_VERSION;
        Nonces.next(out, 1, NONCE_LENGTH);
        try {
            Cipher c = Envelope.newCipher();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, out, 1, NONCE_LENGTH));
            c.updateAAD(aad(kekId, context));
            c.doFinal(key, 0, key.length, out, 1 + NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM key wrapping failed", e);
        }
    }

    /**
     * @param kek     the 32-byte key-encryption key; not kept
     * @param kekId   the id of that KEK, as given to {@link #wrap}
     * @param wrapped a wrapped key from {@link #wrap}
     * @param context the context given to {@link #wrap}
     * @return the key in a fresh array that the caller must clear
     * @throws DecryptionFailedException if the wrapped key is malformed, of another format, was
     *                                   tampered with, or was wrapped under another KEK, KEK id or
     *                                   context
     */
    public static byte[] unwrap(byte[] kek, String kekId, byte[] wrapped, byte[] context) {
        checkKek(kek);
        Objects.requireNonNull(wrapped, "wrapped");
        byte[] aad = aad(kekId, context);
        if (wrapped.length < OVERHEAD + 1) {
            throw new DecryptionFailedException("Wrapped key is malformed (too short).");
        }
        if (wrapped[0] != FORMAT_VERSION) {
            throw new DecryptionFailedException("Wrapped key is not in the context-bound format (version " + FORMAT_VERSION
                    + "); legacy AES key wrap (RFC 5649) is refused because it is not bound to the key's identity.");
        }
        byte[] out = new byte[wrapped.length - OVERHEAD];
        try {
            Cipher c = Envelope.newCipher();
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, wrapped, 1, NONCE_LENGTH));
            c.updateAAD(aad);
            c.doFinal(wrapped, 1 + NONCE_LENGTH, wrapped.length - 1 - NONCE_LENGTH, out, 0);
            return out;
        } catch (AEADBadTagException e) {
            Zeroize.wipe(out);
            throw new DecryptionFailedException("Wrapped key failed authentication (tampered with, wrapped by another master key, "
                    + "or belongs to another key or context).");
        } catch (GeneralSecurityException e) {
            Zeroize.wipe(out);
            throw new IllegalStateException("AES-GCM key unwrapping failed", e);
        }
    }

    /** label || 0x00 || [len(kekId)]_4 || kekId || context. */
    static byte[] aad(String kekId, byte[] context) {
        Objects.requireNonNull(kekId, "kekId");
        Objects.requireNonNull(context, "context");
        byte[] id = kekId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(LABEL.length + 1 + 4 + id.length + context.length)
                .put(LABEL).put((byte) 0).putInt(id.length).put(id).put(context)
                .array();
    }

    private static void checkKek(byte[] kek) {
        Objects.requireNonNull(kek, "kek");
        if (kek.length != KEK_LENGTH) {
            throw new IllegalArgumentException("a key-encryption key has " + KEK_LENGTH + " bytes");
        }
    }
}
