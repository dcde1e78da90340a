package dev.mamori.vault.internal.crypto;

import java.util.Objects;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * An unwrapped Ed25519 signing key (RFC 8032, pure Ed25519, Bouncy Castle's constant-time
 * implementation) with its {@link KeyRef}. Lives only in memory while the vault is unsealed; what
 * is stored is the 32-byte private seed {@link #wrapWith wrapped} under the master key, and the
 * public key. {@link #toString()} shows the reference only. Bouncy Castle keeps the seed inside
 * {@link Ed25519PrivateKeyParameters}, which cannot be cleared (see {@link Zeroize}).
 */
public final class SigningKey {
    /** Length of the private seed, of the public key. */
    public static final int KEY_LENGTH = Ed25519.SECRET_KEY_SIZE;
    /** Length of a signature. */
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final KeyRef ref;
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;

    private SigningKey(KeyRef ref, byte[] seed) {
        this.ref = ref;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = privateKey.generatePublicKey();
    }

    /**
     * @param ref  what to call the key
     * @param seed the 32-byte private key, copied; the caller clears its array
     * @return the key
     */
    public static SigningKey of(KeyRef ref, byte[] seed) {
        Objects.requireNonNull(ref, "ref");
        if (seed == null || seed.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 private key has " + KEY_LENGTH + " bytes");
        }
        return new SigningKey(ref, seed);
    }

    /**
     * @param ref what to call the new key
     * @return a new key whose seed comes from the thread's DRBG (256-bit strength)
     */
    public static SigningKey generate(KeyRef ref) {
        byte[] seed = new byte[KEY_LENGTH];
        Nonces.strong().nextBytes(seed);
        try {
            return of(ref, seed);
        } finally {
            Zeroize.wipe(seed);
        }
    }

    /** @return the key's id and version */
    public KeyRef ref() {
        return ref;
    }

    /** @return the raw 32-byte public key (a fresh array) */
    public byte[] publicKey() {
        return publicKey.getEncoded();
    }

    /**
     * @param message the bytes to sign
     * @return the 64-byte Ed25519 signature
     */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] sig = new byte[SIGNATURE_LENGTH];
        privateKey.sign(Ed25519.Algorithm.Ed25519, publicKey, null, message, 0, message.length, sig, 0);
        return sig;
    }

    /**
     * Wraps the private seed for storage, bound to {@code context}; the temporary copy is cleared.
     *
     * @param provider the master key provider
     * @param context  what the key is, its public key included
     * @return the wrapped seed
     */
    public WrappedKey wrapWith(KeyProvider provider, byte[] context) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(context, "context");
        byte[] seed = privateKey.getEncoded();
        try {
            return provider.wrap(seed, context);
        } finally {
            Zeroize.wipe(seed);
        }
    }

    /** A public key ready to verify: the point is decoded once. */
    public static final class Verifier {
        private final Ed25519PublicKeyParameters key;

        private Verifier(Ed25519PublicKeyParameters key) {
            this.key = key;
        }

        /**
         * @param publicKey a raw 32-byte Ed25519 public key
         * @return its verifier
         * @throws IllegalArgumentException if it is not a valid public key encoding
         */
        public static Verifier of(byte[] publicKey) {
            if (publicKey == null || publicKey.length != KEY_LENGTH) {
                throw new IllegalArgumentException("an Ed25519 public key has " + KEY_LENGTH + " bytes");
            }
            return new Verifier(new Ed25519PublicKeyParameters(publicKey, 0));
        }

        /**
         * Strict RFC 8032 verification (a non-canonical S or point encoding is refused).
         *
         * @param message   the signed bytes
         * @param signature the signature
         * @return whether it is valid
         */
        public boolean verify(byte[] message, byte[] signature) {
            if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
                return false;
            }
            return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        }
    }

    /** @return a verifier of this key's signatures */
    public Verifier verifier() {
        return new Verifier(publicKey);
    }

    @Override
    public String toString() {
        return "SigningKey[" + ref + "]";
    }
}
