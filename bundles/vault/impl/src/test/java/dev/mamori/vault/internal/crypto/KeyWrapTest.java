package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.vault.DecryptionFailedException;

class KeyWrapTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEK = Bytes.random(31, 32);

    @Test
    @DisplayName("CRY-3: AES-KWP matches the test vectors of RFC 5649 section 6 (20-byte and 7-byte keys)")
    void rfc5649Vectors() {
        byte[] kek = HEX.parseHex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");
        byte[] k20 = HEX.parseHex("c37b7e6492584340bed12207808941155068f738");
        byte[] w20 = HEX.parseHex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a");
        assertArrayEquals(w20, KeyWrap.wrapAnyAes(kek.clone(), k20));
        assertArrayEquals(k20, KeyWrap.unwrapAnyAes(kek.clone(), w20));
        byte[] k7 = HEX.parseHex("466f7250617369");
        byte[] w7 = HEX.parseHex("afbeb0f07dfbf5419200f2ccb50bb24f");
        assertArrayEquals(w7, KeyWrap.wrapAnyAes(kek.clone(), k7));
        assertArrayEquals(k7, KeyWrap.unwrapAnyAes(kek.clone(), w7));
    }

    @Test
    @DisplayName("CRY-3: Bouncy Castle's AES-256 KWP agrees with the JDK's independent AES/KWP/NoPadding both ways")
    void interopWithJdk() throws Exception {
        for (int n : new int[] {1, 7, 8, 9, 16, 24, 32, 33, 64}) {
            byte[] key = Bytes.random(n, n);
            byte[] ours = KeyWrap.wrap(KEK, key);
            Cipher jdk = Cipher.getInstance("AES/KWP/NoPadding");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"));
            assertArrayEquals(jdk.doFinal(key), ours, n + " bytes");
            jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEK, "AES"));
            assertArrayEquals(key, jdk.doFinal(ours));
            assertArrayEquals(key, KeyWrap.unwrap(KEK, ours));
        }
    }

    @Test
    @DisplayName("CRY-3: a wrapped 32-byte DEK is 40 bytes and does not contain the DEK; the caller's KEK and key arrays are untouched")
    void wrapShape() {
        byte[] dek = Bytes.random(5, 32);
        byte[] kek = KEK.clone();
        byte[] wrapped = KeyWrap.wrap(kek, dek);
        assertEquals(40, wrapped.length);
        assertArrayEquals(KEK, kek);
        assertArrayEquals(Bytes.random(5, 32), dek);
        for (int i = 0; i + 4 <= 32; i++) {
            assertFalse(Bytes.contains(wrapped, Bytes.slice(dek, i, i + 4)), "DEK bytes at " + i);
        }
    }

    @Test
    @DisplayName("CRY-3: every single bit flip of a wrapped DEK is detected, exhaustively")
    void everyBitFlip() {
        byte[] wrapped = KeyWrap.wrap(KEK, Bytes.random(6, 32));
        for (int bit = 0; bit < wrapped.length * 8; bit++) {
            byte[] bad = Bytes.flip(wrapped, bit);
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, bad));
        }
    }

    @Test
    @DisplayName("CRY-3: unwrapping with another KEK, or malformed input, fails with decryption-failed")
    void wrongKekAndMalformed() {
        byte[] wrapped = KeyWrap.wrap(KEK, Bytes.random(6, 32));
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(Bytes.random(32, 32), wrapped));
        for (int n : new int[] {0, 1, 8, 15, 39, 41}) {
            byte[] bad = Bytes.random(n, n);
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, bad), n + " bytes");
        }
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, Bytes.slice(wrapped, 0, 32)));
    }

    @Test
    @DisplayName("CRY-3: only AES-256 KEKs are accepted, and empty keys are not wrapped")
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(new byte[16], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.unwrap(new byte[24], new byte[40]));
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(KEK, new byte[0]));
        assertThrows(NullPointerException.class, () -> KeyWrap.wrap(null, new byte[32]));
    }
}
