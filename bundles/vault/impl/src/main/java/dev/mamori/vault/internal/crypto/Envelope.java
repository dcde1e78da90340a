package dev.mamori.vault.internal.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import dev.mamori.vault.DecryptionFailedException;

/**
 * Single-shot envelope encryption of a value (a record field, a small document) under a data key
 * (CRY-2, CRY-4). The result is a self-describing, versioned blob. {@link #encrypt} writes format
 * version 2, XAES-256-GCM ({@link Xaes256Gcm}) under the data key's envelope subkey
 * ({@link DataKey}):
 *
 * <pre>
 * offset length
 *      0      3  magic "MVE" (0x4D 0x56 0x45)
 *      3      1  format version, 0x02
 *      4     16  data key id (UUID, most significant byte first)
 *     20      4  data key version (big-endian, at least 1)
 *     24     24  nonce: 12-byte random prefix, shared by a thread's batch of blobs, || 12 random bytes
 *     48      n  ciphertext (n = plaintext length)
 *   48+n     16  GCM tag
 * </pre>
 *
 * The associated data is the 48 header bytes followed by the caller's associated data, which
 * binds the blob to its place (tenant, table, row, field; see {@link Aad}). So a flipped bit
 * anywhere, a header pointing at another key, or a blob copied to another row or tenant all fail
 * with {@link DecryptionFailedException}, and nothing is returned. The header has a fixed length
 * per format version, so header and caller data cannot be confused.
 *
 * <p>Why XAES: with AES-GCM's 96-bit random nonces a key must be retired before 2<sup>32</sup>
 * messages (NIST SP 800-38D, 8.3), a limit nothing enforced. XAES-256-GCM derives an AES-256-GCM
 * key from the key and the first 96 bits of the 192-bit nonce, so one data key can encrypt
 * practically without limit. Speed: per thread and data key, the nonce's first 12 bytes are one
 * random prefix for a batch of at most 2<sup>20</sup> blobs or 60 seconds, the last 12 fresh
 * random bytes per blob ({@link DerivedKeyCache}), so the derived key and its AES key schedule are
 * reused within the batch; 2<sup>20</sup> random 96-bit GCM nonces per derived key collide with
 * probability about 2<sup>-57</sup>. Blobs of one batch share bytes 24..36, which shows that they
 * were written together by one thread, nothing about their contents. Decryption caches the derived
 * keys of recently seen prefixes per thread.
 *
 * <p>{@link #decrypt} also reads format version 1, written before: a 36-byte header (magic,
 * 0x01, key id, key version, 12-byte random nonce), AES-256-GCM directly under the raw data key,
 * associated data = the 36 header bytes || the caller's. JDK {@link Cipher}s, per thread (the
 * JDK's AES-NI and carry-less multiply intrinsics).
 */
public final class Envelope {
    /** Format version written by this class. */
    public static final int FORMAT_VERSION = 2;
    /** Length of the header written by this class. */
    public static final int HEADER_LENGTH = 48;
    /** Length of the GCM tag. */
    public static final int TAG_LENGTH = 16;
    /** Bytes a blob written by this class adds to its plaintext. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    static final byte[] MAGIC = {'M', 'V', 'E'};
    /** Header length of format version 1. */
    static final int V1_HEADER_LENGTH = 36;
    private static final int NONCE_OFFSET = 24;
    private static final int V1_NONCE_LENGTH = 12;
    private static final int MAX_PLAINTEXT = Integer.MAX_VALUE - 64;

    /** Reads format version 1 (v2 uses the ciphers of {@link DerivedKeyCache}). */
    private static final ThreadLocal<Cipher> V1_CIPHER = ThreadLocal.withInitial(Envelope::newCipher);

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

        /** @return the nonce (a copy): 24 bytes in format version 2, 12 in version 1 */
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
     * @return a new blob of {@code plaintext.length + }{@value #OVERHEAD} bytes, format version 2
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
        try {
            // writes the nonce: the thread's batch prefix for this key || 12 fresh random bytes
            Cipher c = key.envelopeKey().encryptCipher(out, NONCE_OFFSET);
            c.updateAAD(out, 0, HEADER_LENGTH);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            c.doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            // includes the JDK's refusal to reuse a key and nonce: a broken random source
            throw new IllegalStateException("XAES-256-GCM encryption failed", e);
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
        if (blob.length < 4) {
            throw new DecryptionFailedException("Not an encrypted value: too short.");
        }
        if (blob[0] != MAGIC[0] || blob[1] != MAGIC[1] || blob[2] != MAGIC[2]) {
            throw new DecryptionFailedException("Not an encrypted value: unknown format.");
        }
        int version = blob[3];
        int nonceLength;
        if (version == FORMAT_VERSION) {
            nonceLength = Xaes256Gcm.NONCE_LENGTH;
        } else if (version == 1) {
            nonceLength = V1_NONCE_LENGTH;
        } else {
            throw new DecryptionFailedException("Unsupported encrypted value format version " + (blob[3] & 0xff) + ".");
        }
        // header (key reference, then the nonce) and a tag at least
        if (blob.length < NONCE_OFFSET + nonceLength + TAG_LENGTH) {
            throw new DecryptionFailedException("Not an encrypted value: too short.");
        }
        KeyRef ref = KeyRef.readFrom(blob, 4);
        if (ref == null) {
            throw new DecryptionFailedException("Not an encrypted value: invalid key version.");
        }
        return new Header(version, ref, Arrays.copyOfRange(blob, NONCE_OFFSET, NONCE_OFFSET + nonceLength));
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
     * @param blob a blob from {@link #encrypt}, format version 2 or 1
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
        boolean v2 = h.formatVersion() == FORMAT_VERSION;
        int headerLength = v2 ? HEADER_LENGTH : V1_HEADER_LENGTH;
        byte[] out = new byte[blob.length - headerLength - TAG_LENGTH];
        try {
            Cipher c;
            if (v2) {
                c = key.envelopeKey().decryptCipher(blob, NONCE_OFFSET);
            } else {
                // the format before key separation: AES-GCM under the raw data key
                c = V1_CIPHER.get();
                c.init(Cipher.DECRYPT_MODE, key.secretKey(),
                        new GCMParameterSpec(TAG_LENGTH * 8, blob, NONCE_OFFSET, V1_NONCE_LENGTH));
            }
            c.updateAAD(blob, 0, headerLength);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            c.doFinal(blob, headerLength, blob.length - headerLength, out, 0);
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
