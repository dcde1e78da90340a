package dev.mamori.vault.internal.crypto;

import java.lang.ref.WeakReference;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * XAES-256-GCM (C2SP, <a href="https://c2sp.org/XAES-256-GCM">c2sp.org/XAES-256-GCM</a>):
 * AES-256-GCM with 192-bit nonces, so that random nonces can be used for practically unlimited
 * messages under one key (CRY-2). Each message gets its own AES-256-GCM key derived from the
 * key and the first 12 nonce bytes with the NIST SP 800-108r1 counter-mode KDF over CMAC-AES-256:
 *
 * <pre>
 * L  = AES-256_K(0^128)
 * K1 = L &lt;&lt; 1, xor 0x87 into the last byte if the top bit of L was set   (CMAC subkey)
 * M1 = 0x00 0x01 'X' 0x00 || N[0:12]
 * M2 = 0x00 0x02 'X' 0x00 || N[0:12]
 * Kx = AES-256_K(M1 xor K1) || AES-256_K(M2 xor K1)
 * ciphertext = AES-256-GCM(key Kx, nonce N[12:24], plaintext, aad)   (ciphertext || 16-byte tag)
 * </pre>
 *
 * K1 is computed once per instance; the two KDF blocks go through one per-thread
 * {@code AES/ECB/NoPadding} cipher that is re-keyed only when the thread switches to another
 * key. {@link #init} and {@link #encrypt}/{@link #decrypt} derive Kx for every call (two extra AES
 * blocks and one GCM key setup over plain AES-GCM). {@link #encryptCipher} and {@link
 * #decryptCipher}, used by {@link Envelope}, go through the thread's {@link DerivedKeyCache}
 * instead: the encrypting side keeps one random N[:12] per thread and key for a bounded batch of
 * messages (2<sup>20</sup> or 60 s), each message with fresh random N[12:24], so that neither the
 * derivation nor the AES key setup is repeated per message; the decrypting side reuses Kx of
 * recently seen prefixes. Instances are immutable and thread-safe; the derived key {@code Kx}
 * lives on only in the JDK's {@link SecretKeySpec} and ciphers (see {@link Zeroize}).
 */
public final class Xaes256Gcm {
    /** Length of the key (AES-256). */
    public static final int KEY_LENGTH = 32;
    /** Length of the nonce. */
    public static final int NONCE_LENGTH = 24;
    /** Length of the GCM tag appended to the ciphertext. */
    public static final int TAG_LENGTH = 16;

    private static final int BLOCK = 16;
    /**
     * Per thread: [0] the ECB cipher, [1] the {@link #id} of the key it is initialised with, [2] a
     * 64-byte scratch array (the two KDF input blocks, then Kx), cleared after each use. JDK types
     * only, so no thread keeps this bundle's class loader alive (and, [1] being a weak reference,
     * no dropped key alive).
     */
    private static final ThreadLocal<Object[]> KDF =
            ThreadLocal.withInitial(() -> new Object[] {newCipher("AES/ECB/NoPadding"), null, new byte[4 * 16]});

    private final SecretKeySpec key;
    private final byte[] k1;
    /** This instance's identity in thread-local caches: a JDK type, one per instance, does not keep the key alive. */
    private final WeakReference<SecretKeySpec> id;

    /**
     * @param key the 32-byte key; copied, the caller clears its array
     */
    public Xaes256Gcm(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an XAES-256-GCM key has " + KEY_LENGTH + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.id = new WeakReference<>(this.key);
        byte[] l = l();
        this.k1 = dbl(l);
        Zeroize.wipe(l);
    }

    /**
     * Initialises {@code gcm} for one message: derives the message key from the first 12 nonce
     * bytes and sets the GCM nonce to the last 12. The caller then adds its associated data and
     * calls {@code doFinal}.
     *
     * @param gcm      an {@code AES/GCM/NoPadding} cipher
     * @param mode     {@link Cipher#ENCRYPT_MODE} or {@link Cipher#DECRYPT_MODE}
     * @param nonce    array holding the 24-byte nonce
     * @param nonceOff where the nonce starts in it
     * @throws GeneralSecurityException as thrown by the cipher (for encryption, the JDK refuses a
     *                                  repeated key and nonce)
     */
    public void init(Cipher gcm, int mode, byte[] nonce, int nonceOff) throws GeneralSecurityException {
        Objects.checkFromIndexSize(nonceOff, NONCE_LENGTH, nonce.length);
        Object[] t = KDF.get();
        byte[] scratch = (byte[]) t[2];
        try {
            deriveKey(t, nonce, nonceOff, scratch, 2 * BLOCK);
            gcm.init(mode, new SecretKeySpec(scratch, 2 * BLOCK, KEY_LENGTH, "AES"),
                    new GCMParameterSpec(TAG_LENGTH * 8, nonce, nonceOff + 12, 12));
        } finally {
            Zeroize.wipe(scratch);
        }
    }

    /**
     * For encrypting with a random nonce: writes a fresh nonce to {@code nonce[off, off+24)}, the
     * thread's current 12-byte prefix for this key ({@link DerivedKeyCache}: at most 2<sup>20</sup>
     * messages or 60 seconds per prefix) followed by 12 fresh random bytes, and returns the
     * thread's GCM cipher for that prefix, initialised to encrypt with Kx and nonce N[12:24]. The
     * caller adds its associated data (which may include the nonce now written) and calls
     * {@code doFinal} before its thread calls this class again.
     *
     * @param nonce array to write the 24-byte nonce to
     * @param off   where
     * @return the initialised cipher, owned by the thread's cache
     * @throws GeneralSecurityException as thrown by the cipher
     */
    Cipher encryptCipher(byte[] nonce, int off) throws GeneralSecurityException {
        Objects.checkFromIndexSize(off, NONCE_LENGTH, nonce.length);
        return DerivedKeyCache.forEncryption(this, nonce, off);
    }

    /**
     * For decrypting: returns the thread's GCM cipher initialised to decrypt with the nonce
     * {@code nonce[off, off+24)}, with Kx from the thread's {@link DerivedKeyCache} if this key and
     * N[:12] were used recently on this thread, else derived and cached. The caller adds the
     * associated data and calls {@code doFinal} before its thread calls this class again.
     *
     * @param nonce array holding the 24-byte nonce
     * @param off   where it starts
     * @return the initialised cipher, owned by the thread's cache
     * @throws GeneralSecurityException as thrown by the cipher
     */
    Cipher decryptCipher(byte[] nonce, int off) throws GeneralSecurityException {
        Objects.checkFromIndexSize(off, NONCE_LENGTH, nonce.length);
        return DerivedKeyCache.forDecryption(this, nonce, off);
    }

    /**
     * @param nonce     24 bytes, never used twice with this key (random is fine)
     * @param plaintext the plaintext
     * @param aad       associated data (may be empty)
     * @return ciphertext || 16-byte tag
     */
    public byte[] encrypt(byte[] nonce, byte[] plaintext, byte[] aad) {
        checkNonce(nonce);
        try {
            Cipher c = newCipher("AES/GCM/NoPadding");
            init(c, Cipher.ENCRYPT_MODE, nonce, 0);
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("XAES-256-GCM encryption failed", e);
        }
    }

    /**
     * @param nonce      the 24-byte nonce used to encrypt
     * @param ciphertext ciphertext || tag
     * @param aad        the associated data used to encrypt
     * @return the plaintext
     * @throws AEADBadTagException if the ciphertext, nonce, associated data or key do not match
     */
    public byte[] decrypt(byte[] nonce, byte[] ciphertext, byte[] aad) throws AEADBadTagException {
        checkNonce(nonce);
        try {
            Cipher c = newCipher("AES/GCM/NoPadding");
            init(c, Cipher.DECRYPT_MODE, nonce, 0);
            c.updateAAD(aad);
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("XAES-256-GCM decryption failed", e);
        }
    }

    /** Writes Kx for {@code nonce[off, off+12)} into {@code kx[0, 32)}, for the tests of the spec's intermediate values. */
    void deriveKey(byte[] nonce, int off, byte[] kx) throws GeneralSecurityException {
        Object[] t = KDF.get();
        byte[] scratch = (byte[]) t[2];
        try {
            deriveKey(t, nonce, off, scratch, 2 * BLOCK);
            System.arraycopy(scratch, 2 * BLOCK, kx, 0, KEY_LENGTH);
        } finally {
            Zeroize.wipe(scratch);
        }
    }

    /** @return Kx for {@code prefix[0, 12)} as a new key object; the scratch copy is cleared */
    SecretKeySpec deriveKey(byte[] prefix) throws GeneralSecurityException {
        Object[] t = KDF.get();
        byte[] scratch = (byte[]) t[2];
        try {
            deriveKey(t, prefix, 0, scratch, 2 * BLOCK);
            return new SecretKeySpec(scratch, 2 * BLOCK, KEY_LENGTH, "AES");
        } finally {
            Zeroize.wipe(scratch);
        }
    }

    /** @return this instance's identity for thread-local caches (the same object for the instance's lifetime) */
    WeakReference<?> id() {
        return id;
    }

    /** Writes Kx into {@code out[outOff, outOff+32)}; M1 and M2 go to the first 32 bytes of the thread's scratch array. */
    private void deriveKey(Object[] t, byte[] nonce, int off, byte[] out, int outOff) throws GeneralSecurityException {
        byte[] in = (byte[]) t[2];
        // M1 xor K1 and M2 xor K1: the 4 prefix bytes, then the nonce bytes, each xor K1
        in[0] = k1[0];
        in[1] = (byte) (0x01 ^ k1[1]);
        in[2] = (byte) ('X' ^ k1[2]);
        in[3] = k1[3];
        for (int i = 0; i < 12; i++) {
            in[4 + i] = (byte) (nonce[off + i] ^ k1[4 + i]);
        }
        System.arraycopy(in, 0, in, BLOCK, BLOCK);
        in[BLOCK + 1] = (byte) (0x02 ^ k1[1]);
        ecb(t).doFinal(in, 0, 2 * BLOCK, out, outOff);
    }

    /** @return L = AES_K(0^128), for the tests of the spec's intermediate values */
    byte[] l() {
        try {
            return ecb(KDF.get()).doFinal(new byte[BLOCK]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding failed", e);
        }
    }

    /** @return K1, a copy */
    byte[] k1() {
        return k1.clone();
    }

    /** The thread's ECB cipher, keyed with this instance's key (re-keyed only on a change of key). */
    private Cipher ecb(Object[] t) throws GeneralSecurityException {
        Cipher c = (Cipher) t[0];
        if (t[1] != id) {
            t[1] = null;
            c.init(Cipher.ENCRYPT_MODE, key);
            t[1] = id;
        }
        return c;
    }

    /** Doubling in GF(2^128) as CMAC defines it (SP 800-38B): shift left by one, conditional xor 0x87. */
    private static byte[] dbl(byte[] l) {
        byte[] k = new byte[BLOCK];
        for (int i = 0; i < BLOCK - 1; i++) {
            k[i] = (byte) ((l[i] << 1) | ((l[i + 1] & 0xff) >>> 7));
        }
        k[BLOCK - 1] = (byte) (l[BLOCK - 1] << 1);
        // constant time: mask is 0x87 when the top bit of L is set, else 0
        k[BLOCK - 1] ^= (byte) (0x87 & -((l[0] & 0xff) >>> 7));
        return k;
    }

    private static void checkNonce(byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("an XAES-256-GCM nonce has " + NONCE_LENGTH + " bytes");
        }
    }

    private static Cipher newCipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " not available", e);
        }
    }
}
