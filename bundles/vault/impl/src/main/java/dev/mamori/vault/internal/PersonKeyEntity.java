package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of {@code mamori_vault_person_key} on the PII store: one wrapped key per person. */
@Entity(name = "PersonKey")
@Table(name = "mamori_vault_person_key")
public class PersonKeyEntity {
    @Id
    @Column(name = "key_id", length = 36)
    String keyId;
    @Column(name = "tenant_id", nullable = false)
    String tenantId;
    @Column(name = "person_id", nullable = false)
    String personId;
    @Column(name = "kek_id")
    String kekId;
    /** Base64 of the AES-KWP output. */
    @Column(name = "wrapped", length = 512)
    String wrapped;
    @Column(name = "state", nullable = false)
    String state;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "destroyed_at")
    Long destroyedAt;
}
