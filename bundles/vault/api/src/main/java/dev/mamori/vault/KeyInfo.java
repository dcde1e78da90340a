package dev.mamori.vault;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the vault knows about one data key version: never key material.
 */
public final class KeyInfo {
    /** Lifecycle of a data key version. */
    public enum State {
        /** Encrypts new data. */
        ACTIVE,
        /** Decrypts old data only; a newer version encrypts. */
        RETIRED,
        /**
         * Its data was re-encrypted under a newer version; kept (wrapped, escrowed) only so that
         * backups taken before can be restored, destroyed when they have expired.
         */
        ARCHIVED,
        /** Crypto-shredded: the wrapped key is gone, its data is unrecoverable. */
        DESTROYED
    }

    private final String keyId;
    private final int version;
    private final String tenantId;
    private final KeyPurpose purpose;
    private final State state;
    private final String kekId;
    private final Instant createdAt;
    private final Instant destroyedAt;

    /**
     * @param keyId       data key id
     * @param version     version
     * @param tenantId    owner
     * @param purpose     purpose
     * @param state       state
     * @param kekId       master key version that wraps it, null once destroyed
     * @param createdAt   creation
     * @param destroyedAt destruction, or null
     */
    public KeyInfo(String keyId, int version, String tenantId, KeyPurpose purpose, State state, String kekId,
            Instant createdAt, Instant destroyedAt) {
        this.keyId = Objects.requireNonNull(keyId);
        this.version = version;
        this.tenantId = Objects.requireNonNull(tenantId);
        this.purpose = Objects.requireNonNull(purpose);
        this.state = Objects.requireNonNull(state);
        this.kekId = kekId;
        this.createdAt = Objects.requireNonNull(createdAt);
        this.destroyedAt = destroyedAt;
    }

    /** @return data key id */
    public String keyId() { return keyId; }
    /** @return version */
    public int version() { return version; }
    /** @return owning tenant */
    public String tenantId() { return tenantId; }
    /** @return purpose */
    public KeyPurpose purpose() { return purpose; }
    /** @return state */
    public State state() { return state; }
    /** @return wrapping master key version */
    public Optional<String> kekId() { return Optional.ofNullable(kekId); }
    /** @return creation */
    public Instant createdAt() { return createdAt; }
    /** @return destruction */
    public Optional<Instant> destroyedAt() { return Optional.ofNullable(destroyedAt); }

    @Override
    public String toString() {
        return keyId + " v" + version + " " + purpose.id() + " " + state;
    }
}
