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

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
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
    @DisplayName("CRY-2: XAES-256-GCM envelope round trip for many sizes; blob is plaintext + 64 bytes")
    void roundTrip(int size) {
        byte[] pt = Bytes.random(size, size);
        byte[] copy = pt.clone();
        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
        assertEquals(size + 64, blob.length);
        assertEquals(64, Envelope.OVERHEAD);
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
    @DisplayName("CRY-2: the v2 header is self-describing: magic, format version 2, key id, key version, 24-byte nonce")
    void header() {
        byte[] blob = Envelope.encrypt(KEY, "x".getBytes(StandardCharsets.UTF_8), AAD);
        assertEquals('M', blob[0]);
        assertEquals('V', blob[1]);
        assertEquals('E', blob[2]);
        assertEquals(2, blob[3]);
        ByteBuffer b = ByteBuffer.wrap(blob, 4, 20);
        assertEquals(KEY.ref().keyId(), new UUID(b.getLong(), b.getLong()));
        assertEquals(7, b.getInt());
        Envelope.Header h = Envelope.parseHeader(blob);
        assertEquals(2, h.formatVersion());
        assertEquals(KEY.ref(), h.key());
        assertArrayEquals(Bytes.slice(blob, 24, 48), h.nonce());
        assertEquals(48 + 1 + 16, blob.length);
    }

    /** HKDF-Expand-SHA256(DEK, "mamori envelope v2", 32), computed here independently of DataKey. */
    private static byte[] envelopeSubkey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RAW, "HmacSHA256"));
        return mac.doFinal(Bytes.concat("mamori envelope v2".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
    }

    @Test
    @DisplayName("CRY-2: the documented v2 layout is the whole story: XAES-256-GCM under HKDF(DEK, \"mamori envelope v2\"), nonce = bytes 24..48, AAD = header (48) || caller AAD")
    void layoutMatchesSpecification() throws Exception {
        byte[] pt = Bytes.random(9, 100);
        byte[] blob = Envelope.encrypt(KEY, pt, AAD);
        byte[] nonce = Bytes.slice(blob, 24, 48);
        byte[] aad = Bytes.concat(Bytes.slice(blob, 0, 48), AAD);
        byte[] ct = Bytes.slice(blob, 48, blob.length);
        assertArrayEquals(pt, new Xaes256Gcm(envelopeSubkey()).decrypt(nonce, ct, aad));
        // key separation: neither the raw data key nor the stream subkey opens it
        assertThrows(AEADBadTagException.class, () -> new Xaes256Gcm(RAW).decrypt(nonce, ct, aad));
        assertThrows(AEADBadTagException.class, () -> new Xaes256Gcm(KEY.streamKey().getEncoded()).decrypt(nonce, ct, aad));
    }

    /** A blob in format version 1 as written before this version, built with plain JCE: AES-256-GCM under the raw key. */
    private static byte[] v1Blob(byte[] pt, byte[] aad) throws Exception {
        byte[] header = new byte[36];
        header[0] = 'M';
        header[1] = 'V';
        header[2] = 'E';
        header[3] = 1;
        ByteBuffer.wrap(header, 4, 20).putLong(KEY.ref().keyId().getMostSignificantBits())
                .putLong(KEY.ref().keyId().getLeastSignificantBits()).putInt(KEY.ref().version());
        System.arraycopy(Bytes.random(pt.length + 1000L, 12), 0, header, 24, 12);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(RAW, "AES"), new GCMParameterSpec(128, header, 24, 12));
        c.updateAAD(Bytes.concat(header, aad));
        return Bytes.concat(header, c.doFinal(pt));
    }

    @Test
    @DisplayName("CRY-2: format version 1 blobs (36-byte header, AES-256-GCM under the raw key) still decrypt, with every check")
    void version1StillDecrypts() throws Exception {
        for (int size : new int[] {0, 1, 17, 1024}) {
            byte[] pt = Bytes.random(size, size);
            byte[] blob = v1Blob(pt, AAD);
            assertEquals(size + 52, blob.length);
            assertArrayEquals(pt, Envelope.decrypt(KEY, blob, AAD));
            assertArrayEquals(pt, Envelope.decrypt(ref -> KEY, blob, AAD));
            Envelope.Header h = Envelope.parseHeader(blob);
            assertEquals(1, h.formatVersion());
            assertArrayEquals(Bytes.slice(blob, 24, 36), h.nonce());
            assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, blob, Aad.of("tenant-b")));
        }
        byte[] small = v1Blob(Bytes.random(3, 5), AAD);
        for (int bit = 0; bit < small.length * 8; bit++) {
            byte[] bad = Bytes.flip(small, bit);
            int at = bit;
            assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, bad, AAD), "v1 flip of bit " + at);
        }
    }

    @Test
    @DisplayName("CRY-2: a v2 blob relabelled as v1 and a v1 blob relabelled as v2 are rejected (no downgrade or cross-format reading)")
    void versionRelabelRejected() throws Exception {
        byte[] v2 = Envelope.encrypt(KEY, Bytes.random(5, 64), AAD);
        byte[] asV1 = v2.clone();
        asV1[3] = 1;
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, asV1, AAD));
        byte[] v1 = v1Blob(Bytes.random(5, 64), AAD);
        byte[] asV2 = v1.clone();
        asV2[3] = 2;
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, asV2, AAD));
    }

    @Test
    @DisplayName("CRY-2: a header naming another version of the same key is rejected by authentication, not only by the reference check")
    void headerTamperingRejected() {
        byte[] blob = Envelope.encrypt(KEY, new byte[] {1, 2, 3}, AAD);
        byte[] other = blob.clone();
        ByteBuffer.wrap(other, 20, 4).putInt(8);
        // the subkeys come from the key bytes only, so this key has the very same XAES key: only the AAD protects
        DataKey sameBytesVersion8 = DataKey.of(new KeyRef(KEY.ref().keyId(), 8), RAW);
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(sameBytesVersion8, other, AAD));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(ref -> sameBytesVersion8, other, AAD));
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
        for (int v : new int[] {0, 3, 0x82}) {
            byte[] version = blob.clone();
            version[3] = (byte) v;
            DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(version));
            assertTrue(e.getMessage().contains("version " + v), e.getMessage());
        }
        byte[] version = blob.clone();
        version[3] = 3;
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(version));
        byte[] keyVersion = blob.clone();
        keyVersion[20] = (byte) 0x80; // negative
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(keyVersion));
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(new byte[51]));
        assertThrows(DecryptionFailedException.class, () -> Envelope.parseHeader(Bytes.slice(blob, 0, 63)), "v2 needs 64 bytes");
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
                        assertTrue(nonces.add(ByteBuffer.wrap(Bytes.slice(blob, 24, 48))), "nonce repeated");
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
        assertNotEquals(ByteBuffer.wrap(blob, 24, 24), ByteBuffer.wrap(again, 24, 24));
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
