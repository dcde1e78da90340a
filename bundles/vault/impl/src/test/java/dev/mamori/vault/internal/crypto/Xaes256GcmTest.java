package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Xaes256GcmTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] NONCE = "ABCDEFGHIJKLMNOPQRSTUVWX".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAINTEXT = "XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);

    private static byte[] filled(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private static byte[] kx(Xaes256Gcm x, byte[] nonce) throws Exception {
        byte[] kx = new byte[32];
        x.deriveKey(nonce, 0, kx);
        return kx;
    }

    @Test
    @DisplayName("CRY-2: XAES-256-GCM matches the C2SP test vector with key 01..01 and no associated data (L, K1, Kx, ciphertext)")
    void vector1() throws Exception {
        Xaes256Gcm x = new Xaes256Gcm(filled(0x01));
        assertArrayEquals(HEX.parseHex("7298caa565031eadc6ce23d23ea66378"), x.l());
        assertArrayEquals(HEX.parseHex("e531954aca063d5b8d9c47a47d4cc6f0"), x.k1());
        assertArrayEquals(HEX.parseHex("c8612c9ed53fe43e8e005b828a1631a0bbcb6ab2f46514ec4f439fcfd0fa969b"), kx(x, NONCE));
        byte[] expected = HEX.parseHex("ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271");
        assertArrayEquals(expected, x.encrypt(NONCE, PLAINTEXT, new byte[0]));
        assertArrayEquals(PLAINTEXT, x.decrypt(NONCE, expected, new byte[0]));
    }

    @Test
    @DisplayName("CRY-2: XAES-256-GCM matches the C2SP test vector with key 03..03 and associated data \"c2sp.org/XAES-256-GCM\"")
    void vector2() throws Exception {
        Xaes256Gcm x = new Xaes256Gcm(filled(0x03));
        byte[] aad = "c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(HEX.parseHex("91c08762876dccf9ba204a33768fa5fe"), x.l());
        assertArrayEquals(HEX.parseHex("23810ec50edb99f374409466ed1f4b7b"), x.k1());
        assertArrayEquals(HEX.parseHex("e9c621d4cdd9b11b00a6427ad7e559aeedd66b3857646677748f8ca796cb3fd8"), kx(x, NONCE));
        byte[] expected = HEX.parseHex("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d");
        assertArrayEquals(expected, x.encrypt(NONCE, PLAINTEXT, aad));
        assertArrayEquals(PLAINTEXT, x.decrypt(NONCE, expected, aad));
        assertThrows(AEADBadTagException.class, () -> x.decrypt(NONCE, expected, new byte[0]));
    }

    @Test
    @DisplayName("CRY-2: XAES-256-GCM passes the C2SP accumulated randomized test (10,000 iterations, SHAKE-128)")
    void accumulated() throws Exception {
        SHAKEDigest in = new SHAKEDigest(128);
        SHAKEDigest out = new SHAKEDigest(128);
        for (int i = 0; i < 10_000; i++) {
            byte[] key = squeeze(in, 32);
            byte[] nonce = squeeze(in, 24);
            byte[] plaintext = squeeze(in, squeeze(in, 1)[0] & 0xff);
            byte[] aad = squeeze(in, squeeze(in, 1)[0] & 0xff);
            Xaes256Gcm x = new Xaes256Gcm(key);
            byte[] ciphertext = x.encrypt(nonce, plaintext, aad);
            out.update(ciphertext, 0, ciphertext.length);
            assertArrayEquals(plaintext, x.decrypt(nonce, ciphertext, aad), "iteration " + i);
        }
        byte[] digest = new byte[32];
        out.doFinal(digest, 0, 32);
        assertEquals("e6b9edf2df6cec60c8cbd864e2211b597fb69a529160cd040d56c0c210081939", HEX.formatHex(digest));
    }

    private static byte[] squeeze(SHAKEDigest shake, int n) {
        byte[] b = new byte[n];
        shake.doOutput(b, 0, n);
        return b;
    }

    @Test
    @DisplayName("CRY-2: the message key depends on the first 12 nonce bytes, the GCM nonce on the last 12; any change fails")
    void nonceHalves() throws Exception {
        Xaes256Gcm x = new Xaes256Gcm(filled(0x01));
        byte[] ct = x.encrypt(NONCE, PLAINTEXT, new byte[0]);
        for (int i = 0; i < 24; i++) {
            byte[] other = NONCE.clone();
            other[i] ^= 1;
            int at = i;
            assertThrows(AEADBadTagException.class, () -> x.decrypt(other, ct, new byte[0]), "nonce byte " + at);
        }
        byte[] otherHigh = NONCE.clone();
        otherHigh[12] ^= 1;
        assertArrayEquals(kx(x, NONCE), kx(x, otherHigh), "bytes 12..24 do not enter the KDF");
        byte[] otherLow = NONCE.clone();
        otherLow[11] ^= 1;
        assertFalse(Arrays.equals(kx(x, NONCE), kx(x, otherLow)), "bytes 0..12 do");
        assertThrows(AEADBadTagException.class, () -> new Xaes256Gcm(filled(0x02)).decrypt(NONCE, ct, new byte[0]));
    }

    @Test
    @DisplayName("CRY-2: the per-thread KDF cipher follows key changes: interleaving keys on one thread gives each key's own result")
    void interleavedKeys() throws Exception {
        Xaes256Gcm one = new Xaes256Gcm(filled(0x01));
        Xaes256Gcm three = new Xaes256Gcm(filled(0x03));
        byte[] aad = "c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(HEX.parseHex("ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271"), one.encrypt(NONCE, PLAINTEXT, new byte[0]));
            assertArrayEquals(HEX.parseHex("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d"), three.encrypt(NONCE, PLAINTEXT, aad));
            // a new instance with the same bytes is another key object: still the same result
            assertArrayEquals(one.l(), new Xaes256Gcm(filled(0x01)).l());
        }
    }

    @Test
    @DisplayName("CRY-2: XAES-256-GCM on 4 threads with 2 keys agrees with the single-threaded result")
    void concurrent() throws Exception {
        Xaes256Gcm[] keys = {new Xaes256Gcm(Bytes.random(1, 32)), new Xaes256Gcm(Bytes.random(2, 32))};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Xaes256Gcm k = keys[(i + seed) % 2];
                        byte[] nonce = Bytes.random(seed * 100_000L + i, 24);
                        byte[] pt = Bytes.random(i, i % 100);
                        byte[] ct = k.encrypt(nonce, pt, new byte[0]);
                        assertArrayEquals(pt, k.decrypt(nonce, ct, new byte[0]));
                        Xaes256Gcm other = keys[(i + seed + 1) % 2];
                        assertThrows(AEADBadTagException.class, () -> other.decrypt(nonce, ct, new byte[0]));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("CRY-2: init() sets up a caller's JCE AES/GCM cipher exactly like encrypt()")
    void initCallerCipher() throws Exception {
        Xaes256Gcm x = new Xaes256Gcm(filled(0x03));
        byte[] buf = new byte[5 + 24];
        System.arraycopy(NONCE, 0, buf, 5, 24);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        x.init(c, Cipher.ENCRYPT_MODE, buf, 5);
        c.updateAAD("c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(HEX.parseHex("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d"), c.doFinal(PLAINTEXT));
        // and it is plain AES-256-GCM with Kx and the nonce's last 12 bytes
        Cipher plain = Cipher.getInstance("AES/GCM/NoPadding");
        plain.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kx(x, NONCE), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, NONCE, 12, 12));
        plain.updateAAD("c2sp.org/XAES-256-GCM".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(PLAINTEXT, plain.doFinal(HEX.parseHex("986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d")));
    }

    @Test
    @DisplayName("CRY-2: keys other than 32 bytes and nonces other than 24 bytes are refused")
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> new Xaes256Gcm(new byte[16]));
        assertThrows(NullPointerException.class, () -> new Xaes256Gcm(null));
        Xaes256Gcm x = new Xaes256Gcm(filled(1));
        assertThrows(IllegalArgumentException.class, () -> x.encrypt(new byte[12], PLAINTEXT, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> x.decrypt(new byte[25], PLAINTEXT, new byte[0]));
        assertThrows(IndexOutOfBoundsException.class, () -> x.init(Cipher.getInstance("AES/GCM/NoPadding"), Cipher.ENCRYPT_MODE, new byte[30], 7));
    }
}
