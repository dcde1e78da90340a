package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of {@code mamori_vault_person_key} on the PII store: one wrapped key per person. */
@Entity(name = "PersonKey")
@Table(name = "mamori_vault_person_key")
public class PersonKeyEntity extends StoredKey {
    @Id
    @Column(name = "key_id", length = 36)
    String keyId;
    @Column(name = "person_id", nullable = false)
    String personId;

    @Override
    Object primaryKey() {
        return keyId;
    }

    @Override
    byte[] wrapContext() {
        return VaultKeys.context(this);
    }
}
