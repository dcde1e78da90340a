package dev.mamori.vault.internal;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** Row of {@code mamori_vault_data_key}: one wrapped version of a data key. */
@Entity(name = "DataKey")
@Table(name = "mamori_vault_data_key")
@IdClass(DataKeyEntity.Pk.class)
public class DataKeyEntity extends StoredKey {
    @Id
    @Column(name = "key_id", length = 36)
    String keyId;
    @Id
    @Column(name = "version")
    int version;
    @Column(name = "purpose", nullable = false)
    String purpose;
    /** When re-encryption archived this version (its data moved to a newer one). */
    @Column(name = "archived_at")
    Long archivedAt;

    @Override
    Object primaryKey() {
        return new Pk(keyId, version);
    }

    @Override
    byte[] wrapContext() {
        return VaultKeys.context(this);
    }

    /** Composite primary key (of signing key rows too). */
    public static class Pk implements Serializable {
        private static final long serialVersionUID = 1L;
        String keyId;
        int version;

        public Pk() {
        }

        Pk(String keyId, int version) {
            this.keyId = keyId;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pk && ((Pk) o).keyId.equals(keyId) && ((Pk) o).version == version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyId, version);
        }
    }
}
