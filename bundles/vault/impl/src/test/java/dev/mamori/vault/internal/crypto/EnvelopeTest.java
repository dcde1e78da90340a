package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.UnknownKeyException;

class EnvelopeTest {
    private static final byte[] RAW = Bytes.random(1, 32);
    private static final DataKey KEY = DataKey.of(new KeyRef(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 7), RAW);
    private static final byte[] AAD = Aad.of("tenant-a", "person", "row-42", "family_name");

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 1023, 1024, 1025, 65535, 65536, 65537, 1 << 20, (3 << 20) + 5})
    @DisplayName("CRY-2: AES-256-GCM envelope round trip for many sizes; blob is plaintext + 52 bytes")
    void roundTrip(int size) {
        byte[] pt = Bytes.random(size, size);
        byte[] copy = pt.clone();
        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
        assertEquals(size + Envelope.OVERHEAD, blob.length);
        assertArrayEquals(copy, pt, "plaintext must not be changed");
        assertArrayEquals(pt, Envelope.decrypt(KEY, blob, AAD));
        assertArrayEquals(pt, Envelope.decrypt(ref -> KEY, blob, AAD));
    }

    @Test
    @DisplayName("CRY-2: empty associated data works and differs from non-empty")
    void emptyAad() {
        byte[] blob = Envelope.encrypt(KEY, new byte[] {1, 2, 3}, new byte[0]);
        assertArrayEquals(new byte[] {1, 2, 3}, Envelope.decrypt(KEY, blob, new byte[0]));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, blob, new byte[] {0}));
    }

    @Test
    @DisplayName("CRY-2: the header is self-describing: magic, format version, key id, key version, nonce")
    void header() {
        byte[] blob = Envelope.encrypt(KEY, "x".getBytes(StandardCharsets.UTF_8), AAD);
        assertEquals('M', blob[0]);
        assertEquals('V', blob[1]);
        assertEquals('E', blob[2]);
        assertEquals(1, blob[3]);
        ByteBuffer b = ByteBuffer.wrap(blob, 4, 20);
        assertEquals(KEY.ref().keyId(), new UUID(b.getLong(), b.getLong()));
        assertEquals(7, b.getInt());
        Envelope.Header h = Envelope.parseHeader(blob);
        assertEquals(1, h.formatVersion());
        assertEquals(KEY.ref(), h.key());
        assertArrayEquals(Bytes.slice(blob, 24, 36), h.nonce());
    }

    @Test
    @DisplayName("CRY-2: the documented layout is the whole story: plain JCE decrypts with IV = bytes 24..36, AAD = header || caller AAD")
    void layoutMatchesSpecification() throws Exception {
        byte[] pt = Bytes.random(9, 100);
        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(RAW, "AES"), new GCMParameterSpec(128, blob, 24, 12));
        c.updateAAD(Bytes.concat(Bytes.slice(blob, 0, 36), AAD));
        assertArrayEquals(pt, c.doFinal(blob, 36, blob.length - 36));
    }

    @Test
    @DisplayName("CRY-2: every single bit flip in small blobs (empty and 17-byte plaintext) is rejected, exhaustively")
    void everyBitFlipRejected() {
        for (int size : new int[] {0, 17}) {
            byte[] blob = Envelope.encrypt(KEY, Bytes.random(3, size), AAD);
            for (int bit = 0; bit < blob.length * 8; bit++) {
                byte[] bad = Bytes.flip(blob, bit);
                int at = bit;
                assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, bad, AAD), "flip of bit " + at);
            }
        }
    }

    @Test
    @DisplayName("CRY-2: a blob moved to another row, field or tenant (other associated data) is rejected")
    void movedBlobRejected() {
        byte[] blob = Envelope.encrypt(KEY, "Yamada".getBytes(StandardCharsets.UTF_8), AAD);
        for (byte[] other : List.of(
                Aad.of("tenant-a", "person", "row-43", "family_name"),
                Aad.of("tenant-b", "person", "row-42", "family_name"),
                Aad.of("tenant-a", "person", "row-42", "given_name"),
                Aad.of("tenant-a", "contact", "row-42", "family_name"),
                Aad.of("tenant-a", "person", "row-4", "2family_name"),
                Bytes.concat(AAD, new byte[] {0}),
                Bytes.slice(AAD, 0, AAD.length - 1),
                new byte[0])) {
            assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, blob, other));
        }
    }

    @Test
    @DisplayName("CRY-2: the wrong key is rejected, whether it claims the blob's reference or not")
    void wrongKey() {
        byte[] blob = Envelope.encrypt(KEY, new byte[] {42}, AAD);
        DataKey sameRefOtherBytes = DataKey.of(KEY.ref(), Bytes.random(2, 32));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(sameRefOtherBytes, blob, AAD));
        DataKey otherVersionSameBytes = DataKey.of(KEY.ref().next(), RAW);
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(otherVersionSameBytes, blob, AAD));
    }

    @Test
    @DisplayName("CRY-3: decryption asks the resolver for exactly the key the header names and passes on its errors")
    void resolver() {
        byte[] blob = Envelope.encrypt(KEY, new byte[] {1}, AAD);
        AtomicReference<KeyRef> asked = new AtomicReference<>();
        Envelope.decrypt(ref -> {
            asked.set(ref);
            return KEY;
        }, blob, AAD);
        assertEquals(KEY.ref(), asked.get());
        assertThrows(UnknownKeyException.class, () -> Envelope.decrypt(ref -> {
            throw new UnknownKeyException("no");
        }, blob, AAD));
        assertThrows(KeyDestroyedException.class, () -> Envelope.decrypt(ref -> {
            throw new KeyDestroyedException("shredded");
        }, blob, AAD));
    }

    @Test
    @DisplayName("CRY-2: truncated blobs (every length) and blobs with trailing bytes are rejected")
    void truncatedAndExtended() {
        byte[] blob = Envelope.encrypt(KEY, Bytes.random(4, 40), AAD);
        for (int n = 0; n < blob.length; n++) {
            byte[] cut = Bytes.slice(blob, 0, n);
            assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, cut, AAD), "length " + n);
        }
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, Bytes.concat(blob, new byte[1]), AAD));
    }

    @Test
    @DisplayName("CRY-2: parseHeader refuses other magic, unknown format versions and invalid key versions")
    void parseHeaderRejects() {
        byte[] blob = Envelope.encrypt(KEY, new byte[0], AAD);
        byte[] magic = blob.clone();
        magic[0] = 'X';
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(magic));
        byte[] version = blob.clone();
        version[3] = 2;
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(version));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        byte[] keyVersion = blob.clone();
        keyVersion[20] = (byte) 0x80; // negative
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(keyVersion));
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(new byte[51]));
        assertEquals(DecryptionFailedException.CODE, e.code());
    }

    @Test
    @DisplayName("CRY-2: nonces are unique over 200,000 encryptions on 4 threads, and equal plaintexts give different blobs")
    void noncesUnique() throws Exception {
        Set<ByteBuffer> nonces = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    byte[] pt = new byte[16];
                    for (int i = 0; i < 50_000; i++) {
                        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
                        assertTrue(nonces.add(ByteBuffer.wrap(Bytes.slice(blob, 24, 36))), "nonce repeated");
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200_000, nonces.size());
        Set<ByteBuffer> blobs = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(blobs.add(ByteBuffer.wrap(Envelope.encrypt(KEY, new byte[32], AAD))));
        }
    }

    @Test
    @DisplayName("CRY-2: concurrent encrypt and decrypt on many threads with per-thread ciphers stay correct")
    void concurrent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] pt = Bytes.random(seed * 10_000L + i, i % 300);
                        byte[] aad = Aad.of("t" + seed, Integer.toString(i));
                        assertArrayEquals(pt, Envelope.decrypt(KEY, Envelope.encrypt(KEY, pt, aad), aad));
                    }
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
    @DisplayName("CRY-2: neither the plaintext nor the key appears in the blob")
    void noPlaintextOrKeyInBlob() {
        byte[] pt = "山田太郎 <taro.yamada@example.jp> 山田太郎 <taro.yamada@example.jp>".getBytes(StandardCharsets.UTF_8);
        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
        assertFalse(Bytes.contains(blob, Bytes.slice(pt, 0, 8)));
        assertFalse(Bytes.contains(blob, Bytes.slice(RAW, 0, 8)));
        assertFalse(KEY.toString().contains(java.util.HexFormat.of().formatHex(RAW).substring(0, 8)));
    }

    @Test
    @DisplayName("CRY-2: a failed decryption does not disturb the thread's cipher for the next call")
    void failureDoesNotPoisonCipher() {
        byte[] blob = Envelope.encrypt(KEY, new byte[] {5, 6}, AAD);
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, Bytes.flip(blob, 300), AAD));
        assertArrayEquals(new byte[] {5, 6}, Envelope.decrypt(KEY, blob, AAD));
        byte[] again = Envelope.encrypt(KEY, new byte[] {7}, AAD);
        assertArrayEquals(new byte[] {7}, Envelope.decrypt(KEY, again, AAD));
        assertNotEquals(ByteBuffer.wrap(blob, 24, 12), ByteBuffer.wrap(again, 24, 12));
    }

    @Test
    @DisplayName("CRY-2: null arguments are refused")
    void nulls() {
        assertThrows(NullPointerException.class, () -> Envelope.encrypt(null, new byte[0], AAD));
        assertThrows(NullPointerException.class, () -> Envelope.encrypt(KEY, null, AAD));
        assertThrows(NullPointerException.class, () -> Envelope.encrypt(KEY, new byte[0], null));
        assertThrows(NullPointerException.class, () -> Envelope.decrypt(KEY, null, AAD));
        assertThrows(NullPointerException.class, () -> Envelope.decrypt(KEY, Envelope.encrypt(KEY, new byte[0], AAD), null));
        assertSame(KEY.ref(), KEY.ref());
    }
}
