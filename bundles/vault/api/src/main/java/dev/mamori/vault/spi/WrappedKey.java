package dev.mamori.vault.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key (DEK) wrapped by a master key (KEK): the id of the KEK version that wrapped it and
 * the provider-specific wrapped bytes (for the default provider, AES key wrap with padding,
 * RFC 5649). Safe to persist and to log by {@link #toString()}: it holds no key material in
 * clear. Immutable; the byte arrays are copied in and out.
 */
public final class WrappedKey {
    private final String kekId;
    private final byte[] bytes;

    /**
     * @param kekId id of the KEK version that wrapped the key, as returned by
     *              {@link KeyProvider#currentKekId()} at wrapping time
     * @param bytes the wrapped key (copied)
     */
    public WrappedKey(String kekId, byte[] bytes) {
        this.kekId = Objects.requireNonNull(kekId, "kekId");
        if (kekId.isEmpty()) {
            throw new IllegalArgumentException("kekId is empty");
        }
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    /** @return id of the KEK version that wrapped this key */
    public String kekId() {
        return kekId;
    }

    /** @return the wrapped bytes (a copy) */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of wrapped bytes */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey && kekId.equals(((WrappedKey) o).kekId)
                && Arrays.equals(bytes, ((WrappedKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return 31 * kekId.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WrappedKey[kek=" + kekId + ", " + bytes.length + " bytes]";
    }
}
