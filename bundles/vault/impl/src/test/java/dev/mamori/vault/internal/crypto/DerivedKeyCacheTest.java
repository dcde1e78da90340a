package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.vault.DecryptionFailedException;

class DerivedKeyCacheTest {
    private static final byte[] RAW = Bytes.random(11, 32);
    private static final DataKey KEY = DataKey.of(new KeyRef(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 3), RAW);
    private static final byte[] AAD = Aad.of("tenant-a", "person", "row-42", "family_name");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void fakeClock() {
        DerivedKeyCache.clear();
        DerivedKeyCache.clock = now::get;
    }

    @AfterEach
    void restore() {
        DerivedKeyCache.reset();
        DerivedKeyCache.clear();
    }

    private static ByteBuffer prefix(byte[] blob) {
        return ByteBuffer.wrap(Bytes.slice(blob, 24, 36));
    }

    private static ByteBuffer gcmNonce(byte[] blob) {
        return ByteBuffer.wrap(Bytes.slice(blob, 36, 48));
    }

    @Test
    @DisplayName("CRY-2: one thread's blobs under one key share N[:12] and one derivation; each has fresh N[12:24]; reading them back derives nothing")
    void batchSharesPrefixAndDerivation() {
        long before = DerivedKeyCache.derivations();
        List<byte[]> blobs = new ArrayList<>();
        Set<ByteBuffer> nonces = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            byte[] blob = Envelope.encrypt(KEY, Bytes.random(i, i * 7), AAD);
            blobs.add(blob);
            assertEquals(prefix(blobs.get(0)), prefix(blob));
            assertTrue(nonces.add(gcmNonce(blob)), "GCM nonce repeated");
        }
        assertEquals(before + 1, DerivedKeyCache.derivations(), "one derivation for the batch");
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(Bytes.random(i, i * 7), Envelope.decrypt(KEY, blobs.get(i), AAD));
        }
        assertEquals(before + 1, DerivedKeyCache.derivations(), "reading the batch back reuses its derived key");
        assertEquals(1, DerivedKeyCache.size());
    }

    @Test
    @DisplayName("CRY-2: a batch ends after maxBlobs blobs; the next gets a new random prefix")
    void batchEndsAfterMaxBlobs() {
        DerivedKeyCache.maxBlobs = 3;
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            blobs.add(Envelope.encrypt(KEY, new byte[] {(byte) i}, AAD));
        }
        assertEquals(prefix(blobs.get(0)), prefix(blobs.get(2)));
        assertNotEquals(prefix(blobs.get(2)), prefix(blobs.get(3)));
        assertEquals(prefix(blobs.get(3)), prefix(blobs.get(5)));
        assertNotEquals(prefix(blobs.get(5)), prefix(blobs.get(6)));
        assertNotEquals(prefix(blobs.get(0)), prefix(blobs.get(6)));
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(new byte[] {(byte) i}, Envelope.decrypt(KEY, blobs.get(i), AAD));
        }
    }

    @Test
    @DisplayName("CRY-2: a batch ends maxAge after its derivation, and cached derived keys expire (injected clock, no sleeping)")
    void batchAndCacheExpire() {
        long age = DerivedKeyCache.DEFAULT_MAX_AGE_NANOS;
        byte[] first = Envelope.encrypt(KEY, new byte[] {1}, AAD);
        now.addAndGet(age - 1);
        byte[] second = Envelope.encrypt(KEY, new byte[] {2}, AAD);
        assertEquals(prefix(first), prefix(second), "still within the batch's lifetime");
        assertEquals(1, DerivedKeyCache.size());
        now.addAndGet(1);
        assertEquals(0, DerivedKeyCache.size(), "expired");
        byte[] third = Envelope.encrypt(KEY, new byte[] {3}, AAD);
        assertNotEquals(prefix(second), prefix(third), "a new batch after maxAge");

        // decryption: an expired entry is derived again, a live one is not
        DerivedKeyCache.clear();
        long d = DerivedKeyCache.derivations();
        assertArrayEquals(new byte[] {1}, Envelope.decrypt(KEY, first, AAD));
        assertArrayEquals(new byte[] {2}, Envelope.decrypt(KEY, second, AAD));
        assertEquals(d + 1, DerivedKeyCache.derivations());
        now.addAndGet(age / 2);
        assertArrayEquals(new byte[] {1}, Envelope.decrypt(KEY, first, AAD));
        assertEquals(d + 1, DerivedKeyCache.derivations());
        now.addAndGet(age / 2);
        assertArrayEquals(new byte[] {1}, Envelope.decrypt(KEY, first, AAD));
        assertEquals(d + 2, DerivedKeyCache.derivations(), "derived again after maxAge");

        // a shorter lifetime takes effect at once
        DerivedKeyCache.maxAgeNanos = 10;
        byte[] a = Envelope.encrypt(KEY, new byte[0], AAD);
        now.addAndGet(10);
        assertNotEquals(prefix(a), prefix(Envelope.encrypt(KEY, new byte[0], AAD)));
    }

    @Test
    @DisplayName("CRY-2: the cache holds at most SLOTS derived keys per thread, least recently used replaced first")
    void bounded() {
        long d = DerivedKeyCache.derivations();
        List<DataKey> keys = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            DataKey k = DataKey.of(KeyRef.random(), Bytes.random(1000 + i, 32));
            keys.add(k);
            blobs.add(Envelope.encrypt(k, new byte[] {(byte) i}, AAD));
            assertTrue(DerivedKeyCache.size() <= DerivedKeyCache.SLOTS);
        }
        assertEquals(DerivedKeyCache.SLOTS, DerivedKeyCache.size());
        assertEquals(d + 100, DerivedKeyCache.derivations());
        // the most recent keys are cached, the first one was replaced: it starts a new batch
        Envelope.decrypt(keys.get(99), blobs.get(99), AAD);
        assertEquals(d + 100, DerivedKeyCache.derivations());
        byte[] again = Envelope.encrypt(keys.get(0), new byte[] {0}, AAD);
        assertEquals(d + 101, DerivedKeyCache.derivations());
        assertNotEquals(prefix(blobs.get(0)), prefix(again));
        // decryption of many prefixes under one key stays bounded too
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(new byte[] {(byte) i}, Envelope.decrypt(keys.get(i), blobs.get(i), AAD));
        }
        assertEquals(DerivedKeyCache.SLOTS, DerivedKeyCache.size());
    }

    /** A v2 blob under {@code key} with the given 12-byte prefix, built through the uncached XAES API. */
    private static byte[] blobWithPrefix(DataKey key, ByteBuffer prefix, byte[] pt) {
        byte[] header = new byte[48];
        header[0] = 'M';
        header[1] = 'V';
        header[2] = 'E';
        header[3] = 2;
        key.ref().writeTo(header, 4);
        prefix.duplicate().get(header, 24, 12);
        System.arraycopy(Bytes.random(pt.length + 77L, 12), 0, header, 36, 12);
        byte[] ct = key.envelopeKey().encrypt(Bytes.slice(header, 24, 48), pt, Bytes.concat(header, AAD));
        return Bytes.concat(header, ct);
    }

    @Test
    @DisplayName("CRY-2: a cached derived key never serves another data key, even one with the same reference and prefix")
    void neverServesAnotherKey() {
        byte[] a = Envelope.encrypt(KEY, "a".getBytes(), AAD);
        ByteBuffer p = prefix(a);
        // same KeyRef, other bytes: A's cached Kx for this prefix must not be used
        DataKey sameRef = DataKey.of(KEY.ref(), Bytes.random(12, 32));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(sameRef, a, AAD));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(ref -> sameRef, a, AAD));
        // a blob of that key with A's prefix decrypts with that key only, while both are cached
        byte[] b = blobWithPrefix(sameRef, p, "b".getBytes());
        assertArrayEquals("b".getBytes(), Envelope.decrypt(sameRef, b, AAD));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, b, AAD));
        assertArrayEquals("a".getBytes(), Envelope.decrypt(KEY, a, AAD));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(sameRef, a, AAD));
        // and its own encryptions get their own batch
        byte[] b2 = Envelope.encrypt(sameRef, "b2".getBytes(), AAD);
        assertNotEquals(p, prefix(b2));
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, b2, AAD));
        assertEquals(p, prefix(Envelope.encrypt(KEY, new byte[0], AAD)), "A's batch is unchanged");
        // the same bytes in another DataKey object have their own entries (identity, not equality)
        DataKey twin = DataKey.of(KEY.ref(), RAW);
        long d = DerivedKeyCache.derivations();
        assertArrayEquals("a".getBytes(), Envelope.decrypt(twin, a, AAD));
        assertEquals(d + 1, DerivedKeyCache.derivations());
    }

    @Test
    @DisplayName("CRY-2: a decryption never starts a batch: a prefix read from a blob is not used to encrypt")
    void decryptionDoesNotSeedEncryption() {
        DataKey k = DataKey.of(KeyRef.random(), Bytes.random(13, 32));
        ByteBuffer chosen = ByteBuffer.wrap(new byte[12]);
        byte[] foreign = blobWithPrefix(k, chosen, new byte[] {9});
        assertArrayEquals(new byte[] {9}, Envelope.decrypt(k, foreign, AAD));
        byte[] mine = Envelope.encrypt(k, new byte[] {9}, AAD);
        assertNotEquals(chosen, prefix(mine));
    }

    /** Encrypts under a key that nothing references afterwards. */
    private static WeakReference<DataKey> encryptWithThrowawayKey() {
        DataKey k = DataKey.of(KeyRef.random(), Bytes.random(14, 32));
        Envelope.decrypt(k, Envelope.encrypt(k, new byte[] {1}, AAD), AAD);
        return new WeakReference<>(k);
    }

    @Test
    @DisplayName("CRY-2: the cache does not keep a dropped data key alive, and its entries no longer count")
    void droppedKeyIsNotKeptAlive() {
        WeakReference<DataKey> w = encryptWithThrowawayKey();
        assertEquals(1, DerivedKeyCache.size());
        for (int i = 0; i < 20 && w.get() != null; i++) {
            System.gc();
        }
        assumeTrue(w.get() == null, "the garbage collector did not run");
        assertNull(w.get());
        assertEquals(0, DerivedKeyCache.size());
    }

    @Test
    @DisplayName("CRY-2: the thread-local values hold JDK types only (no bundle class loader pinned by a thread)")
    void threadLocalsHoldJdkTypesOnly() throws Exception {
        Envelope.decrypt(KEY, Envelope.encrypt(KEY, new byte[] {1}, AAD), AAD);
        for (Class<?> c : new Class<?>[] {DerivedKeyCache.class, Xaes256Gcm.class, Envelope.class, Nonces.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (ThreadLocal.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    assertJdkOnly(((ThreadLocal<?>) f.get(null)).get(), c.getSimpleName() + "." + f.getName(), 0);
                }
            }
        }
    }

    private static void assertJdkOnly(Object o, String where, int depth) {
        if (o == null) {
            return;
        }
        assertNull(o.getClass().getClassLoader(), where + " holds " + o.getClass());
        if (o instanceof WeakReference<?> r) {
            assertJdkOnly(r.get(), where + ".get()", depth + 1);
        }
        if (o.getClass().isArray() && !o.getClass().getComponentType().isPrimitive() && depth < 3) {
            for (int i = 0; i < Array.getLength(o); i++) {
                assertJdkOnly(Array.get(o, i), where + "[" + i + "]", depth + 1);
            }
        }
    }

    @Test
    @DisplayName("CRY-2: threads have separate batches")
    void threadsHaveTheirOwnBatches() throws Exception {
        byte[] here = Envelope.encrypt(KEY, new byte[0], AAD);
        byte[][] there = new byte[1][];
        Thread t = new Thread(() -> there[0] = Envelope.encrypt(KEY, new byte[0], AAD));
        t.start();
        t.join();
        assertNotEquals(prefix(here), prefix(there[0]));
        assertArrayEquals(new byte[0], Envelope.decrypt(KEY, there[0], AAD));
        assertFalse(prefix(here).equals(prefix(Envelope.encrypt(DataKey.of(KeyRef.random(), RAW), new byte[0], AAD))));
    }
}
