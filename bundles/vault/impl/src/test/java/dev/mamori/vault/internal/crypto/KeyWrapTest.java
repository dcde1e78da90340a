package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.vault.DecryptionFailedException;

class KeyWrapTest {
    private static final byte[] KEK = Bytes.random(31, 32);
    private static final String KEK_ID = "kek-1-0a1b2c3d";
    private static final byte[] CONTEXT = Aad.of("tenant-a", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "3");

    @Test
    @DisplayName("CRY-3: a wrapped key unwraps with the same KEK, KEK id and context")
    void roundTrip() {
        for (int n : new int[] {1, 16, 32, 64}) {
            byte[] key = Bytes.random(n, n);
            byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, key, CONTEXT);
            assertEquals(n + 29, wrapped.length);
            assertArrayEquals(key, KeyWrap.unwrap(KEK, KEK_ID, wrapped, CONTEXT));
        }
        byte[] empty = KeyWrap.wrap(KEK, KEK_ID, Bytes.random(1, 32), new byte[0]);
        assertArrayEquals(Bytes.random(1, 32), KeyWrap.unwrap(KEK, KEK_ID, empty, new byte[0]));
    }

    @Test
    @DisplayName("CRY-3: the wrapped format is as documented: 0x02 || nonce(12) || AES-256-GCM(KEK) with AAD label || 0x00 || [len]_4 || KEK id || context")
    void layoutMatchesSpecification() throws Exception {
        byte[] dek = Bytes.random(7, 32);
        byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, dek, CONTEXT);
        assertEquals(61, wrapped.length);
        assertEquals(2, wrapped[0]);
        byte[] id = KEK_ID.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Bytes.concat("mamori vault key wrap v2".getBytes(StandardCharsets.US_ASCII), new byte[] {0},
                ByteBuffer.allocate(4).putInt(id.length).array(), id, CONTEXT);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEK, "AES"), new GCMParameterSpec(128, wrapped, 1, 12));
        c.updateAAD(aad);
        assertArrayEquals(dek, c.doFinal(wrapped, 13, wrapped.length - 13));
    }

    @Test
    @DisplayName("CRY-3: a wrapped key does not unwrap in another context (another tenant, purpose, key id or version, or none)")
    void otherContextFails() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, Bytes.random(6, 32), CONTEXT);
        for (byte[] other : List.of(
                Aad.of("tenant-b", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "3"),
                Aad.of("tenant-a", "attachments", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "3"),
                Aad.of("tenant-a", "records", "6f9619ff-8b86-d011-b42d-00c04fc964fe", "3"),
                Aad.of("tenant-a", "records", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "4"),
                Bytes.concat(CONTEXT, new byte[] {0}),
                Bytes.slice(CONTEXT, 0, CONTEXT.length - 1),
                new byte[0])) {
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, wrapped, other));
        }
    }

    @Test
    @DisplayName("CRY-3: a wrapped key does not unwrap under another KEK, nor under the same KEK bytes with another KEK id")
    void otherKekFails() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, Bytes.random(6, 32), CONTEXT);
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(Bytes.random(32, 32), KEK_ID, wrapped, CONTEXT));
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, "kek-2-0a1b2c3d", wrapped, CONTEXT));
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, "", wrapped, CONTEXT));
    }

    @Test
    @DisplayName("CRY-3: every single bit flip of a wrapped DEK is detected, exhaustively")
    void everyBitFlip() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, Bytes.random(6, 32), CONTEXT);
        for (int bit = 0; bit < wrapped.length * 8; bit++) {
            byte[] bad = Bytes.flip(wrapped, bit);
            int at = bit;
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, bad, CONTEXT), "bit " + at);
        }
    }

    @Test
    @DisplayName("CRY-3: a legacy AES-KWP (RFC 5649) wrapped key, 40 bytes, is refused with a clear message, never unwrapped")
    void legacyKwpRefused() throws Exception {
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"));
        int checked = 0;
        for (int seed = 0; seed < 8; seed++) {
            byte[] legacy = kwp.doFinal(Bytes.random(seed, 32));
            assertEquals(40, legacy.length);
            DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, legacy, CONTEXT));
            if (legacy[0] != 2) {
                // the usual case; one in 256 starts with 0x02 by chance and then fails authentication instead
                assertTrue(e.getMessage().contains("legacy AES key wrap"), e.getMessage());
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    @DisplayName("CRY-3: malformed wrapped keys (too short, unknown version) fail with decryption-failed")
    void malformed() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEK_ID, Bytes.random(6, 32), CONTEXT);
        for (int n = 0; n < wrapped.length; n++) {
            byte[] cut = Bytes.slice(wrapped, 0, n);
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, cut, CONTEXT), n + " bytes");
        }
        for (int v : new int[] {0, 1, 3, 0xff}) {
            byte[] other = wrapped.clone();
            other[0] = (byte) v;
            assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, other, CONTEXT));
        }
        assertThrows(DecryptionFailedException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, Bytes.concat(wrapped, new byte[1]), CONTEXT));
    }

    @Test
    @DisplayName("CRY-3: wrapping is randomized and the output holds neither the DEK nor the KEK; the caller's arrays are untouched")
    void noKeyBytesInOutput() {
        byte[] dek = Bytes.random(5, 32);
        byte[] kek = KEK.clone();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            byte[] wrapped = KeyWrap.wrap(kek, KEK_ID, dek, CONTEXT);
            assertTrue(seen.add(java.util.HexFormat.of().formatHex(wrapped)), "same DEK wrapped twice to the same bytes");
            for (int j = 0; j + 4 <= 32; j++) {
                assertFalse(Bytes.contains(wrapped, Bytes.slice(dek, j, j + 4)), "DEK bytes at " + j);
                assertFalse(Bytes.contains(wrapped, Bytes.slice(KEK, j, j + 4)), "KEK bytes at " + j);
            }
        }
        assertArrayEquals(KEK, kek);
        assertArrayEquals(Bytes.random(5, 32), dek);
    }

    @Test
    @DisplayName("CRY-3: only AES-256 KEKs are accepted, empty keys are not wrapped, and ids and contexts are required")
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(new byte[16], KEK_ID, new byte[32], CONTEXT));
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.unwrap(new byte[24], KEK_ID, new byte[61], CONTEXT));
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(KEK, KEK_ID, new byte[0], CONTEXT));
        assertThrows(NullPointerException.class, () -> KeyWrap.wrap(null, KEK_ID, new byte[32], CONTEXT));
        assertThrows(NullPointerException.class, () -> KeyWrap.wrap(KEK, null, new byte[32], CONTEXT));
        assertThrows(NullPointerException.class, () -> KeyWrap.wrap(KEK, KEK_ID, new byte[32], null));
        assertThrows(NullPointerException.class, () -> KeyWrap.unwrap(KEK, KEK_ID, new byte[61], null));
    }
}
