package dev.mamori.vault;

import dev.mamori.platform.event.EventType;

/**
 * Event types the vault publishes for every key operation, through
 * {@link dev.mamori.platform.event.EventPublisher}. Details carry ids, versions, purposes and
 * master key ids, never key material: {@code keyId}, {@code version}, {@code purpose},
 * {@code kekId} (each present where it applies); signing key events add {@code owner} (the tenant
 * id, or {@code platform}).
 */
public final class VaultEvents {
    /** A data key version was created. */
    public static final EventType DATA_KEY_CREATED = key("vault.data-key.created");
    /** A tenant's data key got a new version; the old one is retired. */
    public static final EventType DATA_KEY_ROTATED = key("vault.data-key.rotated");
    /** A data key version was archived by re-encryption: kept only to restore older backups. */
    public static final EventType DATA_KEY_ARCHIVED = key("vault.data-key.archived");
    /** A data key version was destroyed (shredding, or an archived version whose backups expired). */
    public static final EventType DATA_KEY_DESTROYED = key("vault.data-key.destroyed");
    /** A person's key was created. */
    public static final EventType PERSON_KEY_CREATED = key("vault.person-key.created");
    /** A person's key was destroyed: their personal data is erased. */
    public static final EventType PERSON_KEY_DESTROYED = key("vault.person-key.destroyed");
    /** A signing key version was created (first signature of its owner and purpose, or a rotation). */
    public static final EventType SIGNING_KEY_CREATED = signing("vault.signing-key.created");
    /** A signing key got a new version; the old one is retired and keeps verifying. */
    public static final EventType SIGNING_KEY_ROTATED = signing("vault.signing-key.rotated");
    /** A signing key version was destroyed (its tenant was shredded). */
    public static final EventType SIGNING_KEY_DESTROYED = signing("vault.signing-key.destroyed");
    /** A new master key version was made current. */
    public static final EventType MASTER_KEY_ROTATED = key("vault.master-key.rotated");
    /** A master key version was destroyed by a cut-off. */
    public static final EventType MASTER_KEY_DESTROYED = key("vault.master-key.destroyed");
    /** Wrapped keys were taken from a key escrow after a restore. */
    public static final EventType KEYS_RESTORED = key("vault.keys.restored");
    /** A key provider became available. */
    public static final EventType UNSEALED = key("vault.unsealed");
    /** The key provider went away. */
    public static final EventType SEALED = key("vault.sealed");
    /** A background re-encryption started (target version in the details). */
    public static final EventType REENCRYPTION_STARTED = key("vault.reencryption.started");
    /** A background re-encryption finished; archived versions follow as {@link #DATA_KEY_ARCHIVED}. */
    public static final EventType REENCRYPTION_FINISHED = key("vault.reencryption.finished");

    private VaultEvents() {
    }

    private static EventType key(String name) {
        return EventType.of(name, "keyId", "version", "purpose", "kekId");
    }

    private static EventType signing(String name) {
        return EventType.of(name, "keyId", "version", "purpose", "kekId", "owner");
    }
}
