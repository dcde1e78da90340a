package dev.mamori.vault.internal.crypto;

import java.lang.ref.WeakReference;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-thread cache of XAES-256-GCM message keys Kx, so that an envelope costs no key derivation
 * and no AES key setup in the common case. XAES-256-GCM derives Kx from the key and the nonce's
 * first 12 bytes only, so:
 *
 * <ul>
 * <li><b>Encrypting</b>: per thread and per key there is one <em>batch</em>: a random 12-byte
 * prefix N[:12], its Kx, and a GCM cipher initialised with Kx. Each blob gets N[:12] from the
 * batch and 12 fresh random bytes N[12:24], the GCM nonce. A batch ends after
 * {@link #maxBlobs} (2<sup>20</sup>) blobs or {@link #maxAgeNanos} (60 s), whichever comes first,
 * and the next blob starts a new one with a new random prefix. Per Kx there are thus at most
 * 2<sup>20</sup> random 96-bit GCM nonces (collision probability about 2<sup>-57</sup>), far below
 * GCM's 2<sup>32</sup>; the data key itself never keys GCM, so it has no message limit. A batch is
 * only ever started from a fresh random prefix, never from a prefix read from a blob.</li>
 * <li><b>Decrypting</b>: the same slots also serve as a cache keyed by (key, N[:12]): a blob whose
 * prefix was seen recently on this thread (written together with others, or by this thread) reuses
 * Kx and the initialised cipher.</li>
 * </ul>
 *
 * <p>Bounds: {@value #SLOTS} slots per thread, least recently used replaced first, each entry
 * valid for {@link #maxAgeNanos} from its derivation; expired entries and entries of keys that are
 * gone are replaced first. Per slot: a 12-byte prefix, one {@link SecretKeySpec} and one
 * {@code AES/GCM/NoPadding} {@link Cipher} (recycled when the slot is reused; re-keying it
 * overwrites the old round keys).
 *
 * <p>Key identity: an entry belongs to the {@link Xaes256Gcm} instance whose {@link
 * Xaes256Gcm#id() id} (a {@link WeakReference} to its key, one object per instance) it holds, and
 * lookups compare that reference by identity. So one key's Kx never serves another key, not even
 * one with the same bytes or the same {@link KeyRef}; and the cache does not keep a key alive: when
 * the {@link DataKey} is dropped, its entries can never match again and are the first replaced.
 *
 * <p>Class loaders: the thread-local value is an {@code Object[]} of JDK types only (arrays,
 * {@link WeakReference}, {@link SecretKeySpec}, {@link Cipher}), so no thread keeps this bundle's
 * class loader alive after the bundle is updated.
 */
final class DerivedKeyCache {
    /** Entries per thread. */
    static final int SLOTS = 8;
    /** Default for {@link #maxBlobs}. */
    static final long DEFAULT_MAX_BLOBS = 1L << 20;
    /** Default for {@link #maxAgeNanos}. */
    static final long DEFAULT_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Blobs encrypted under one prefix before a new one is drawn. Package level for the tests. */
    static volatile long maxBlobs = DEFAULT_MAX_BLOBS;
    /** Lifetime of an entry (batch or cached Kx) from its derivation. Package level for the tests. */
    static volatile long maxAgeNanos = DEFAULT_MAX_AGE_NANOS;
    /** Monotonic clock in nanoseconds. Package level for the tests. */
    static volatile LongSupplier clock = System::nanoTime;

    private static final int PREFIX = 12;
    private static final int TAG_BITS = 128;

    // per-thread arrays, indexed by slot
    private static final int OWNERS = 0; // WeakReference<?>[]: Xaes256Gcm.id() of the entry's key, null = empty
    private static final int PREFIXES = 1; // byte[SLOTS][12]: N[:12]
    private static final int KX = 2; // SecretKeySpec[]: the derived key
    private static final int CIPHERS = 3; // Cipher[]: created on first use of the slot, then recycled
    private static final int BORN = 4; // long[]: clock at derivation
    private static final int LAST_USE = 5; // long[]: tick of the last use, for least-recently-used replacement
    private static final int USES = 6; // long[]: blobs encrypted in this batch; -1 = derived for decryption, never encrypts
    private static final int COUNTERS = 7; // long[2]: [0] tick, [1] derivations so far (for the tests)
    private static final int TICK = 0;
    private static final int DERIVATIONS = 1;

    private static final ThreadLocal<Object[]> CACHE = ThreadLocal.withInitial(DerivedKeyCache::newCache);

    private DerivedKeyCache() {
    }

    private static Object[] newCache() {
        return new Object[] {new WeakReference<?>[SLOTS], new byte[SLOTS][PREFIX], new SecretKeySpec[SLOTS],
                new Cipher[SLOTS], new long[SLOTS], new long[SLOTS], new long[SLOTS], new long[2]};
    }

    /**
     * Writes a fresh nonce for {@code x} to {@code nonce[off, off+24)} (the thread's batch prefix,
     * then 12 fresh random bytes) and returns a cipher initialised to encrypt with it.
     */
    static Cipher forEncryption(Xaes256Gcm x, byte[] nonce, int off) throws GeneralSecurityException {
        Object[] t = CACHE.get();
        WeakReference<?>[] owners = (WeakReference<?>[]) t[OWNERS];
        long[] uses = (long[]) t[USES];
        long[] born = (long[]) t[BORN];
        WeakReference<?> id = x.id();
        long now = clock.getAsLong();
        int slot = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (owners[i] == id && uses[i] >= 0) {
                slot = i;
                break;
            }
        }
        if (slot < 0 || uses[slot] >= maxBlobs || now - born[slot] >= maxAgeNanos) {
            if (slot < 0) {
                slot = victim(t, now);
            }
            byte[] prefix = ((byte[][]) t[PREFIXES])[slot];
            owners[slot] = null;
            Nonces.next(prefix, 0, PREFIX);
            fill(t, slot, x, prefix, now);
            uses[slot] = 0;
            owners[slot] = id;
        }
        uses[slot]++;
        touch(t, slot);
        System.arraycopy(((byte[][]) t[PREFIXES])[slot], 0, nonce, off, PREFIX);
        Nonces.next(nonce, off + PREFIX, PREFIX);
        Cipher c = cipher(t, slot);
        c.init(Cipher.ENCRYPT_MODE, ((SecretKeySpec[]) t[KX])[slot], new GCMParameterSpec(TAG_BITS, nonce, off + PREFIX, PREFIX));
        return c;
    }

    /** Returns a cipher initialised to decrypt with {@code x} and the nonce {@code nonce[off, off+24)}. */
    static Cipher forDecryption(Xaes256Gcm x, byte[] nonce, int off) throws GeneralSecurityException {
        Object[] t = CACHE.get();
        WeakReference<?>[] owners = (WeakReference<?>[]) t[OWNERS];
        byte[][] prefixes = (byte[][]) t[PREFIXES];
        long[] born = (long[]) t[BORN];
        WeakReference<?> id = x.id();
        long now = clock.getAsLong();
        int slot = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (owners[i] == id && now - born[i] < maxAgeNanos
                    && Arrays.equals(prefixes[i], 0, PREFIX, nonce, off, off + PREFIX)) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = victim(t, now);
            owners[slot] = null;
            System.arraycopy(nonce, off, prefixes[slot], 0, PREFIX);
            fill(t, slot, x, prefixes[slot], now);
            ((long[]) t[USES])[slot] = -1;
            owners[slot] = id;
        }
        touch(t, slot);
        Cipher c = cipher(t, slot);
        c.init(Cipher.DECRYPT_MODE, ((SecretKeySpec[]) t[KX])[slot], new GCMParameterSpec(TAG_BITS, nonce, off + PREFIX, PREFIX));
        return c;
    }

    /** Derives Kx for {@code prefix} into the slot (its owner is null meanwhile, so a failure leaves it empty). */
    private static void fill(Object[] t, int slot, Xaes256Gcm x, byte[] prefix, long now) throws GeneralSecurityException {
        SecretKeySpec[] kx = (SecretKeySpec[]) t[KX];
        kx[slot] = null;
        kx[slot] = x.deriveKey(prefix);
        ((long[]) t[BORN])[slot] = now;
        ((long[]) t[COUNTERS])[DERIVATIONS]++;
    }

    private static void touch(Object[] t, int slot) {
        long[] counters = (long[]) t[COUNTERS];
        ((long[]) t[LAST_USE])[slot] = ++counters[TICK];
    }

    /** The slot to replace: an empty, orphaned or expired one, else the least recently used. */
    private static int victim(Object[] t, long now) {
        WeakReference<?>[] owners = (WeakReference<?>[]) t[OWNERS];
        long[] born = (long[]) t[BORN];
        long[] lastUse = (long[]) t[LAST_USE];
        int lru = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (owners[i] == null || owners[i].get() == null || now - born[i] >= maxAgeNanos) {
                return i;
            }
            if (lastUse[i] < lastUse[lru]) {
                lru = i;
            }
        }
        return lru;
    }

    private static Cipher cipher(Object[] t, int slot) {
        Cipher[] ciphers = (Cipher[]) t[CIPHERS];
        Cipher c = ciphers[slot];
        if (c == null) {
            c = Envelope.newCipher();
            ciphers[slot] = c;
        }
        return c;
    }

    /** @return the entries of this thread that can still serve (key alive, not expired); for the tests */
    static int size() {
        Object[] t = CACHE.get();
        WeakReference<?>[] owners = (WeakReference<?>[]) t[OWNERS];
        long[] born = (long[]) t[BORN];
        long now = clock.getAsLong();
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (owners[i] != null && owners[i].get() != null && now - born[i] < maxAgeNanos) {
                n++;
            }
        }
        return n;
    }

    /** @return how many Kx this thread has derived through the cache; for the tests */
    static long derivations() {
        return ((long[]) CACHE.get()[COUNTERS])[DERIVATIONS];
    }

    /** Empties this thread's cache; for the tests. */
    static void clear() {
        CACHE.remove();
    }

    /** Restores the default limits and clock; for the tests. */
    static void reset() {
        maxBlobs = DEFAULT_MAX_BLOBS;
        maxAgeNanos = DEFAULT_MAX_AGE_NANOS;
        clock = System::nanoTime;
    }
}
