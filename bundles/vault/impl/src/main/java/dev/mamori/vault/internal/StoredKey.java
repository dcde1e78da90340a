package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.MappedSuperclass;

/**
 * What every stored key row has: the key only wrapped, its state, and the record of its
 * destruction. The id stays with each entity (one has a composite key).
 */
@MappedSuperclass
public abstract class StoredKey {
    @Column(name = "tenant_id", nullable = false)
    String tenantId;
    @Column(name = "kek_id")
    String kekId;
    /** Base64 of the AES-KWP output: portable across H2 and PostgreSQL. */
    @Column(name = "wrapped", length = 512)
    String wrapped;
    @Column(name = "state", nullable = false)
    String state;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "destroyed_at")
    Long destroyedAt;
    /** Destroyed, and a cut-off has since put it out of reach of older copies of the key tables. */
    @Column(name = "cut_off", nullable = false)
    boolean cutOff;

    /** @return the primary key, for {@code EntityManager.find} */
    abstract Object primaryKey();

    /** @return what the key is (owner, purpose or person, id, version), bound into its wrapping */
    abstract byte[] wrapContext();

    /**
     * Destroys the key: the wrapped bytes go, the row stays as the record of what was destroyed.
     *
     * @param at     when
     * @param cutOff whether older copies of the key tables need no cut-off for it (not a shredding)
     */
    void destroy(long at, boolean cutOff) {
        this.state = VaultKeys.DESTROYED;
        this.wrapped = null;
        this.kekId = null;
        this.destroyedAt = at;
        this.cutOff = cutOff;
    }
}
