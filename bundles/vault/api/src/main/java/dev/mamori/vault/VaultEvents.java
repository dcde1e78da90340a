package dev.mamori.vault;

/**
 * Event types the vault publishes for every key operation, through
 * {@link dev.mamori.platform.event.EventPublisher}. Details carry ids, versions, purposes and
 * master key ids, never key material: {@code keyId}, {@code version}, {@code purpose},
 * {@code kekId}; signing key events add {@code owner} (the tenant id, or {@code platform}).
 */
public final class VaultEvents {
    /** A data key version was created. */
    public static final String DATA_KEY_CREATED = "vault.data-key.created";
    /** A tenant's data key got a new version; the old one is retired. */
    public static final String DATA_KEY_ROTATED = "vault.data-key.rotated";
    /** A data key version was archived by re-encryption: kept only to restore older backups. */
    public static final String DATA_KEY_ARCHIVED = "vault.data-key.archived";
    /** A data key version was destroyed (shredding, or an archived version whose backups expired). */
    public static final String DATA_KEY_DESTROYED = "vault.data-key.destroyed";
    /** A person's key was created. */
    public static final String PERSON_KEY_CREATED = "vault.person-key.created";
    /** A person's key was destroyed: their personal data is erased. */
    public static final String PERSON_KEY_DESTROYED = "vault.person-key.destroyed";
    /** A signing key version was created (first signature of its owner and purpose, or a rotation). */
    public static final String SIGNING_KEY_CREATED = "vault.signing-key.created";
    /** A signing key got a new version; the old one is retired and keeps verifying. */
    public static final String SIGNING_KEY_ROTATED = "vault.signing-key.rotated";
    /** A signing key version was destroyed (its tenant was shredded). */
    public static final String SIGNING_KEY_DESTROYED = "vault.signing-key.destroyed";
    /** A new master key version was made current. */
    public static final String MASTER_KEY_ROTATED = "vault.master-key.rotated";
    /** A master key version was destroyed by a cut-off. */
    public static final String MASTER_KEY_DESTROYED = "vault.master-key.destroyed";
    /** Wrapped keys were taken from a key escrow after a restore. */
    public static final String KEYS_RESTORED = "vault.keys.restored";
    /** A key provider became available. */
    public static final String UNSEALED = "vault.unsealed";
    /** The key provider went away. */
    public static final String SEALED = "vault.sealed";
    /** A background re-encryption started (target version in the details). */
    public static final String REENCRYPTION_STARTED = "vault.reencryption.started";
    /** A background re-encryption finished; archived versions follow as {@link #DATA_KEY_ARCHIVED}. */
    public static final String REENCRYPTION_FINISHED = "vault.reencryption.finished";

    private VaultEvents() {
    }
}
