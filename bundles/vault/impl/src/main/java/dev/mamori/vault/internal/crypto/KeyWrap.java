package dev.mamori.vault.internal.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapPadEngine;
import org.bouncycastle.crypto.params.KeyParameter;

import dev.mamori.vault.DecryptionFailedException;

/**
 * AES key wrap with padding (RFC 5649, NIST SP 800-38F "KWP") with an AES-256 key-encryption key,
 * by Bouncy Castle's {@link AESWrapPadEngine}. A wrapped key is 8 bytes longer than the key
 * rounded up to 8 (40 bytes for a 32-byte DEK) and carries a 64-bit integrity check, so a changed
 * or foreign wrapped key is refused. Deterministic: the same key under the same KEK always wraps
 * to the same bytes, which is fine for uniformly random keys. Bouncy Castle's copy of the KEK is
 * cleared after each use; its AES round keys are not reachable (see {@link Zeroize}).
 */
public final class KeyWrap {
    /** Length of a key-encryption key (AES-256). */
    public static final int KEK_LENGTH = 32;

    private KeyWrap() {
    }

    /**
     * @param kek the 32-byte key-encryption key; not kept
     * @param key the key to wrap (1 byte or more); not kept
     * @return the wrapped key
     */
    public static byte[] wrap(byte[] kek, byte[] key) {
        checkKek(kek);
        return wrapAnyAes(kek, key);
    }

    /** RFC 5649 with any AES key length; only for the RFC's test vectors, which use AES-192. */
    static byte[] wrapAnyAes(byte[] kek, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("nothing to wrap");
        }
        KeyParameter p = new KeyParameter(kek);
        try {
            AESWrapPadEngine engine = new AESWrapPadEngine();
            engine.init(true, p);
            return engine.wrap(key, 0, key.length);
        } finally {
            Zeroize.wipe(p.getKey());
        }
    }

    /**
     * @param kek     the 32-byte key-encryption key; not kept
     * @param wrapped a wrapped key
     * @return the key in a fresh array that the caller must clear
     * @throws DecryptionFailedException if the integrity check fails (tampered, other KEK) or the
     *                                   input is malformed
     */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) {
        checkKek(kek);
        return unwrapAnyAes(kek, wrapped);
    }

    /** RFC 5649 with any AES key length; only for the RFC's test vectors. */
    static byte[] unwrapAnyAes(byte[] kek, byte[] wrapped) {
        Objects.requireNonNull(wrapped, "wrapped");
        KeyParameter p = new KeyParameter(kek);
        try {
            AESWrapPadEngine engine = new AESWrapPadEngine();
            engine.init(false, p);
            return engine.unwrap(wrapped, 0, wrapped.length);
        } catch (InvalidCipherTextException | DataLengthException | IllegalArgumentException e) {
            throw new DecryptionFailedException("Wrapped key failed its integrity check (tampered with, or wrapped by another master key).");
        } finally {
            Zeroize.wipe(p.getKey());
        }
    }

    private static void checkKek(byte[] kek) {
        Objects.requireNonNull(kek, "kek");
        if (kek.length != KEK_LENGTH) {
            throw new IllegalArgumentException("a key-encryption key has " + KEK_LENGTH + " bytes");
        }
    }
}
