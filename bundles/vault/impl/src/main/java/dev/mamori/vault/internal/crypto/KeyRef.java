package dev.mamori.vault.internal.crypto;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * Names one version of one data key: the key's id (a random UUID, one per tenant and purpose or
 * per person) and its version (1, 2, ... after each rotation). It is written into every blob and
 * stream header so that a ciphertext says which key opens it; it is not secret.
 *
 * @param keyId   the data key's id
 * @param version the version, at least 1
 */
public record KeyRef(UUID keyId, int version) {

    /** Size of the encoded form: 16 bytes of id, 4 of version (big-endian). */
    public static final int ENCODED_LENGTH = 20;

    /** Checks the components. */
    public KeyRef {
        Objects.requireNonNull(keyId, "keyId");
        if (version < 1) {
            throw new IllegalArgumentException("key version must be at least 1, not " + version);
        }
    }

    /** @return a reference to version 1 of a new random key id */
    public static KeyRef random() {
        return new KeyRef(UUID.randomUUID(), 1);
    }

    /** @return the same key id with the next version */
    public KeyRef next() {
        if (version == Integer.MAX_VALUE) {
            throw new IllegalStateException("no key version after " + version);
        }
        return new KeyRef(keyId, version + 1);
    }

    void writeTo(byte[] dst, int off) {
        ByteBuffer.wrap(dst, off, ENCODED_LENGTH)
                .putLong(keyId.getMostSignificantBits())
                .putLong(keyId.getLeastSignificantBits())
                .putInt(version);
    }

    /** @return the reference, or {@code null} when the version field is not a valid version */
    static KeyRef readFrom(byte[] src, int off) {
        ByteBuffer b = ByteBuffer.wrap(src, off, ENCODED_LENGTH);
        UUID id = new UUID(b.getLong(), b.getLong());
        int v = b.getInt();
        return v < 1 ? null : new KeyRef(id, v);
    }

    /**
     * @param blobOrHeader an envelope blob or the header of a stream (both carry the key at offset 4)
     * @return the key reference it names (not authenticated)
     * @throws dev.mamori.vault.DecryptionFailedException if it is too short or names no valid version
     */
    public static KeyRef named(byte[] blobOrHeader) {
        if (blobOrHeader == null || blobOrHeader.length < 4 + ENCODED_LENGTH) {
            throw new dev.mamori.vault.DecryptionFailedException("Not an encrypted value: too short.");
        }
        KeyRef ref = readFrom(blobOrHeader, 4);
        if (ref == null) {
            throw new dev.mamori.vault.DecryptionFailedException("Not an encrypted value: invalid key version.");
        }
        return ref;
    }

    @Override
    public String toString() {
        return keyId + "/v" + version;
    }
}
