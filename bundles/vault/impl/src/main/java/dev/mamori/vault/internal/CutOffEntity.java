package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of {@code mamori_vault_cutoff}: one completed key cut-off. */
@Entity(name = "CutOff")
@Table(name = "mamori_vault_cutoff")
public class CutOffEntity {
    @Id
    @Column(name = "cutoff_id", length = 36)
    String cutoffId;
    @Column(name = "kek_id", nullable = false)
    String kekId;
    /** Comma-separated master key versions destroyed. */
    @Column(name = "destroyed_keks", nullable = false, length = 2000)
    String destroyedKeks;
    @Column(name = "rewrapped", nullable = false)
    int rewrapped;
    @Column(name = "escrow", nullable = false, length = 1000)
    String escrow;
    @Column(name = "at_millis", nullable = false)
    long atMillis;
}
