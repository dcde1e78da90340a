package dev.mamori.vault;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 signature (RFC 8032, 64 bytes) made by the vault, with the signing key version that
 * made it: the key id (one per owner and purpose, the same for every version) and the version.
 */
public final class VaultSignature {
    /** Length of an Ed25519 signature. */
    public static final int LENGTH = 64;

    private final String keyId;
    private final int version;
    private final byte[] signature;

    /**
     * @param keyId     the signing key's id
     * @param version   its version, at least 1
     * @param signature the 64 signature bytes, copied
     */
    public VaultSignature(String keyId, int version, byte[] signature) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (version < 1) {
            throw new IllegalArgumentException("A key version is at least 1.");
        }
        this.version = version;
        if (signature == null || signature.length != LENGTH) {
            throw new IllegalArgumentException("An Ed25519 signature has " + LENGTH + " bytes.");
        }
        this.signature = signature.clone();
    }

    /** @return the signing key's id */
    public String keyId() {
        return keyId;
    }

    /** @return the version of the key that signed */
    public int version() {
        return version;
    }

    /** @return the 64 signature bytes (a copy) */
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VaultSignature)) {
            return false;
        }
        VaultSignature s = (VaultSignature) o;
        return s.keyId.equals(keyId) && s.version == version && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, version, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "VaultSignature[" + keyId + " v" + version + "]";
    }
}
