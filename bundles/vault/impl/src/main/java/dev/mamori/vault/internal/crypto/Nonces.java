package dev.mamori.vault.internal.crypto;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random bytes for nonces, salts and keys.
 *
 * <p>Each thread has its own NIST SP 800-90A DRBG ({@code SecureRandom "DRBG"}, seeded from the
 * operating system), so threads never contend on one lock. For nonces, which must be unique but
 * are not secret, the DRBG's output is taken 1 KiB at a time and handed out in slices: a
 * separate call per 12-byte nonce costs more than the AES-GCM of a 1 KiB record. Key bytes are
 * never taken from that buffer. Thread-local values are JDK types only, so that no thread keeps
 * this bundle's class loader alive after the bundle is updated.
 */
final class Nonces {
    private static final int BUFFER = 1024;

    private static final ThreadLocal<SecureRandom> RNG = ThreadLocal.withInitial(Nonces::newDrbg);
    private static final ThreadLocal<ByteBuffer> POOL =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER).position(BUFFER));

    private Nonces() {
    }

    /** Fills {@code dst[off, off+len)} with fresh random bytes (for nonces and salts, not keys). */
    static void next(byte[] dst, int off, int len) {
        if (len > BUFFER) {
            byte[] tmp = new byte[len];
            RNG.get().nextBytes(tmp);
            System.arraycopy(tmp, 0, dst, off, len);
            return;
        }
        ByteBuffer pool = POOL.get();
        if (pool.remaining() < len) {
            RNG.get().nextBytes(pool.array());
            pool.clear();
        }
        pool.get(dst, off, len);
    }

    /** @return this thread's strong random source, for key generation */
    static SecureRandom strong() {
        return RNG.get();
    }

    private static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
