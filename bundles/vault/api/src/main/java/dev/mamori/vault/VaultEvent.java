package dev.mamori.vault;

import java.time.Instant;
import java.util.Objects;

/**
 * One key operation, for the audit log: ids, versions, operation and actor, never key material.
 */
public final class VaultEvent {
    /** What happened. */
    public enum Operation {
        /** A data key version was created. */
        DATA_KEY_CREATED,
        /** A tenant's data key got a new version; the old one is retired. */
        DATA_KEY_ROTATED,
        /** A new master key version was created and every data key re-wrapped. */
        MASTER_KEY_ROTATED,
        /** A data key version was crypto-shredded. */
        DATA_KEY_DESTROYED,
        /** A person's key was created (first personal data stored). */
        PERSON_KEY_CREATED,
        /** A person's key was destroyed: their personal data is erased. */
        PERSON_KEY_DESTROYED,
        /** A key provider became available. */
        UNSEALED,
        /** The key provider went away. */
        SEALED,
        /** A master key version was destroyed by a cut-off (key id null, kek id the destroyed version). */
        MASTER_KEY_DESTROYED,
        /** Wrapped keys were taken from a key escrow after a restore. */
        KEYS_RESTORED,
        /** A background re-encryption started (key id and version: the target version). */
        REENCRYPTION_STARTED,
        /** A background re-encryption finished; the older versions follow as DATA_KEY_ARCHIVED. */
        REENCRYPTION_FINISHED,
        /** A data key version was archived: kept only for restoring older backups. */
        DATA_KEY_ARCHIVED
    }

    private final Operation operation;
    private final String tenantId;
    private final String keyId;
    private final int version;
    private final String kekId;
    private final String actor;
    private final Instant at;

    /**
     * @param operation what happened
     * @param tenantId  tenant concerned, or null for master-key events
     * @param keyId     data key id, or null
     * @param version   data key version, 0 when not applicable
     * @param kekId     master key version involved, or null
     * @param actor     who asked (operator name, "system"), never null
     * @param at        when
     */
    public VaultEvent(Operation operation, String tenantId, String keyId, int version, String kekId, String actor,
            Instant at) {
        this.operation = Objects.requireNonNull(operation);
        this.tenantId = tenantId;
        this.keyId = keyId;
        this.version = version;
        this.kekId = kekId;
        this.actor = Objects.requireNonNull(actor);
        this.at = Objects.requireNonNull(at);
    }

    /** @return operation */
    public Operation operation() { return operation; }
    /** @return tenant id or null */
    public String tenantId() { return tenantId; }
    /** @return data key id or null */
    public String keyId() { return keyId; }
    /** @return data key version, 0 if none */
    public int version() { return version; }
    /** @return master key version or null */
    public String kekId() { return kekId; }
    /** @return actor */
    public String actor() { return actor; }
    /** @return time */
    public Instant at() { return at; }

    @Override
    public String toString() {
        return operation + (tenantId != null ? " tenant=" + tenantId : "") + (keyId != null ? " key=" + keyId + " v" + version : "")
                + (kekId != null ? " kek=" + kekId : "") + " by " + actor + " at " + at;
    }
}
