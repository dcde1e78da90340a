package dev.mamori.vault.internal;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** Row of {@code mamori_vault_reencrypt_cursor}: one participant's checkpoint in a job. */
@Entity(name = "ReEncryptionCursor")
@Table(name = "mamori_vault_reencrypt_cursor")
@IdClass(ReEncryptionCursorEntity.Pk.class)
public class ReEncryptionCursorEntity {
    @Id
    @Column(name = "job_id", length = 36)
    String jobId;
    @Id
    @Column(name = "participant", length = 100)
    String participant;
    @Column(name = "cursor_value", length = 1024)
    String cursor;
    @Column(name = "done", nullable = false)
    boolean done;
    @Column(name = "processed", nullable = false)
    long processed;

    /** Composite primary key. */
    public static class Pk implements Serializable {
        private static final long serialVersionUID = 1L;
        String jobId;
        String participant;

        public Pk() {
        }

        Pk(String jobId, String participant) {
            this.jobId = jobId;
            this.participant = participant;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pk && ((Pk) o).jobId.equals(jobId) && ((Pk) o).participant.equals(participant);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, participant);
        }
    }
}
