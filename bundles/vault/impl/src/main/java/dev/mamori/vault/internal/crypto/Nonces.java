package dev.mamori.vault.internal.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Random bytes for nonces, salts and keys.
 *
 * <p>Each thread has its own NIST SP 800-90A DRBG ({@code SecureRandom "DRBG"}, seeded from the
 * operating system), instantiated at 256-bit security strength (the strength of the AES-256 keys
 * it makes; the JDK's default instantiation is 128) with reseeding and a per-thread
 * personalization string, so threads never contend on one lock. There is no fallback: if the
 * platform cannot give a 256-bit DRBG, every call fails rather than draw keys from something
 * weaker (CRY-3). For nonces, which must be unique but are not secret, the DRBG's output is taken
 * 1 KiB at a time and handed out in slices: a separate call per nonce costs more than the AES-GCM
 * of a 1 KiB record. Key bytes are never taken from that buffer. Thread-local values are JDK
 * types only, so that no thread keeps this bundle's class loader alive after the bundle is updated.
 */
final class Nonces {
    /** Security strength of the DRBG in bits. */
    static final int STRENGTH = 256;
    private static final int BUFFER = 1024;

    private static final ThreadLocal<SecureRandom> RNG = ThreadLocal.withInitial(() -> newDrbg(STRENGTH));
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

    /** @return this thread's DRBG, for key generation */
    static SecureRandom strong() {
        return RNG.get();
    }

    /**
     * @param strength the security strength to instantiate with
     * @return a new DRBG of that strength
     * @throws IllegalStateException if the platform has no DRBG of that strength (fail closed)
     */
    static SecureRandom newDrbg(int strength) {
        // not secret: it only makes each instantiation distinct (SP 800-90A 8.7.1)
        byte[] personalization = ("mamori vault " + Thread.currentThread().getId() + " " + System.nanoTime())
                .getBytes(StandardCharsets.US_ASCII);
        try {
            SecureRandom rng = SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(strength, DrbgParameters.Capability.RESEED_ONLY, personalization));
            if (!(rng.getParameters() instanceof DrbgParameters.Instantiation p) || p.getStrength() < strength) {
                throw new IllegalStateException("The DRBG does not report " + strength + "-bit security strength.");
            }
            return rng;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("No SP 800-90A DRBG with " + strength
                    + "-bit security strength is available; refusing to use a weaker random source.", e);
        }
    }
}
