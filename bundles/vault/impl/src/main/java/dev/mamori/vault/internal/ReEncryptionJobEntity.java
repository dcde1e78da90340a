package dev.mamori.vault.internal;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of {@code mamori_vault_reencrypt_job}. */
@Entity(name = "ReEncryptionJob")
@Table(name = "mamori_vault_reencrypt_job")
public class ReEncryptionJobEntity {
    @Id
    @Column(name = "job_id", length = 36)
    String jobId;
    @Column(name = "tenant_id", nullable = false)
    String tenantId;
    @Column(name = "purpose", nullable = false)
    String purpose;
    @Column(name = "target_version", nullable = false)
    int targetVersion;
    @Column(name = "state", nullable = false)
    String state;
    /** Comma-separated versions destroyed at the end. */
    @Column(name = "retired", length = 1000)
    String retired;
    @Column(name = "started_at", nullable = false)
    long startedAt;
    @Column(name = "finished_at")
    Long finishedAt;
    @Column(name = "detail", length = 1000)
    String detail;
}
