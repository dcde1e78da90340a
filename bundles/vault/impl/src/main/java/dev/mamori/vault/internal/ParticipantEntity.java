package dev.mamori.vault.internal;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** Row of {@code mamori_vault_participant}: a component seen holding ciphertext of a purpose. */
@Entity(name = "Participant")
@Table(name = "mamori_vault_participant")
@IdClass(ParticipantEntity.Pk.class)
public class ParticipantEntity {
    @Id
    @Column(name = "name", length = 100)
    String name;
    @Id
    @Column(name = "purpose", length = 16)
    String purpose;
    @Column(name = "first_seen", nullable = false)
    long firstSeen;

    /** Composite primary key. */
    public static class Pk implements Serializable {
        private static final long serialVersionUID = 1L;
        String name;
        String purpose;

        public Pk() {
        }

        Pk(String name, String purpose) {
            this.name = name;
            this.purpose = purpose;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pk && ((Pk) o).name.equals(name) && ((Pk) o).purpose.equals(purpose);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, purpose);
        }
    }
}
