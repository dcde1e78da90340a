package dev.mamori.vault.internal.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import dev.mamori.vault.DecryptionFailedException;

/**
 * Single-shot envelope encryption of a value (a record field, a small document) with AES-256-GCM
 * under a data key (CRY-2, CRY-4). The result is a self-describing, versioned blob:
 *
 * <pre>
 * offset length
 *      0      3  magic "MVE" (0x4D 0x56 0x45)
 *      3      1  format version, 0x01
 *      4     16  data key id (UUID, most significant byte first)
 *     20      4  data key version (big-endian, at least 1)
 *     24     12  nonce (random)
 *     36      n  ciphertext (n = plaintext length)
 *   36+n     16  GCM tag
 * </pre>
 *
 * The GCM associated data is the 36 header bytes followed by the caller's associated data, which
 * binds the blob to its place (tenant, table, row, field; see {@link Aad}). So a flipped bit
 * anywhere, a header pointing at another key, or a blob copied to another row or tenant all fail
 * with {@link DecryptionFailedException}, and nothing is returned. The header has a fixed length
 * per format version, so header and caller data cannot be confused.
 *
 * <p>Nonces are 96 random bits per blob (NIST SP 800-38D, 8.2.2): the vault must retire a data
 * key version before it has encrypted 2<sup>32</sup> blobs. Uses the JDK's AES/GCM (AES-NI and
 * carry-less multiply intrinsics), one {@link Cipher} per thread.
 */
public final class Envelope {
    /** Format version written by this class. */
    public static final int FORMAT_VERSION = 1;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 36;
    /** Length of the GCM tag. */
    public static final int TAG_LENGTH = 16;
    /** Bytes a blob adds to its plaintext. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    static final byte[] MAGIC = {'M', 'V', 'E'};
    private static final int NONCE_OFFSET = 24;
    private static final int NONCE_LENGTH = 12;
    private static final int MAX_PLAINTEXT = Integer.MAX_VALUE - 64;

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(Envelope::newCipher);

    private Envelope() {
    }

    /** What a blob's header says, readable before decrypting. Not authenticated until decrypted. */
    public static final class Header {
        private final int formatVersion;
        private final KeyRef key;
        private final byte[] nonce;

        Header(int formatVersion, KeyRef key, byte[] nonce) {
            this.formatVersion = formatVersion;
            this.key = key;
            this.nonce = nonce;
        }

        /** @return the format version */
        public int formatVersion() {
            return formatVersion;
        }

        /** @return the data key id and version the blob claims to be encrypted under */
        public KeyRef key() {
            return key;
        }

        /** @return the nonce (a copy) */
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public String toString() {
            return "Envelope.Header[v" + formatVersion + ", key=" + key + "]";
        }
    }

    /**
     * @param key       the data key
     * @param plaintext the value, not changed
     * @param aad       associated data that must be presented again to decrypt (may be empty)
     * @return a new blob of {@code plaintext.length + }{@value #OVERHEAD} bytes
     */
    public static byte[] encrypt(DataKey key, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext too large for one blob; use StreamCipher");
        }
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = MAGIC[0];
        out[1] = MAGIC[1];
        out[2] = MAGIC[2];
        out[3] = FORMAT_VERSION;
        key.ref().writeTo(out, 4);
        Nonces.next(out, NONCE_OFFSET, NONCE_LENGTH);
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(TAG_LENGTH * 8, out, NONCE_OFFSET, NONCE_LENGTH));
            c.updateAAD(out, 0, HEADER_LENGTH);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            c.doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            // includes the JDK's refusal to reuse a key and nonce: a broken random source
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /**
     * Reads a blob's header without decrypting, for example to find the data key it needs.
     *
     * @param blob a blob
     * @return its header (not yet authenticated)
     * @throws DecryptionFailedException if it is not a blob of a supported format
     */
    public static Header parseHeader(byte[] blob) {
        Objects.requireNonNull(blob, "blob");
        if (blob.length < OVERHEAD) {
            throw new DecryptionFailedException("Not an encrypted value: too short.");
        }
        if (blob[0] != MAGIC[0] || blob[1] != MAGIC[1] || blob[2] != MAGIC[2]) {
            throw new DecryptionFailedException("Not an encrypted value: unknown format.");
        }
        if (blob[3] != FORMAT_VERSION) {
            throw new DecryptionFailedException("Unsupported encrypted value format version " + (blob[3] & 0xff) + ".");
        }
        KeyRef ref = KeyRef.readFrom(blob, 4);
        if (ref == null) {
            throw new DecryptionFailedException("Not an encrypted value: invalid key version.");
        }
        return new Header(FORMAT_VERSION, ref, Arrays.copyOfRange(blob, NONCE_OFFSET, NONCE_OFFSET + NONCE_LENGTH));
    }

    /**
     * @param keys finds the key the header names
     * @param blob a blob from {@link #encrypt}
     * @param aad  the associated data given to {@link #encrypt}
     * @return the plaintext
     * @throws DecryptionFailedException if the blob is malformed, tampered with, moved or does not
     *                                   match {@code aad}
     * @throws dev.mamori.vault.UnknownKeyException    as thrown by the resolver
     * @throws dev.mamori.vault.KeyDestroyedException  as thrown by the resolver
     */
    public static byte[] decrypt(KeyResolver keys, byte[] blob, byte[] aad) {
        Header h = parseHeader(blob);
        DataKey key = Objects.requireNonNull(keys.resolve(h.key()), "resolver returned no key");
        return decrypt(key, blob, aad);
    }

    /**
     * @param key  the data key the blob was encrypted under
     * @param blob a blob from {@link #encrypt}
     * @param aad  the associated data given to {@link #encrypt}
     * @return the plaintext
     * @throws DecryptionFailedException if the blob is malformed, names another key, was tampered
     *                                   with or moved, or does not match {@code aad}
     */
    public static byte[] decrypt(DataKey key, byte[] blob, byte[] aad) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(aad, "aad");
        Header h = parseHeader(blob);
        if (!h.key().equals(key.ref())) {
            throw new DecryptionFailedException("Encrypted value belongs to another key.");
        }
        byte[] out = new byte[blob.length - OVERHEAD];
        Cipher c = CIPHER.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(TAG_LENGTH * 8, blob, NONCE_OFFSET, NONCE_LENGTH));
            c.updateAAD(blob, 0, HEADER_LENGTH);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            c.doFinal(blob, HEADER_LENGTH, blob.length - HEADER_LENGTH, out, 0);
            return out;
        } catch (AEADBadTagException e) {
            Zeroize.wipe(out);
            throw new DecryptionFailedException("Encrypted value failed authentication (tampered with, moved, or wrong key).");
        } catch (GeneralSecurityException e) {
            Zeroize.wipe(out);
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding not available", e);
        }
    }
}
