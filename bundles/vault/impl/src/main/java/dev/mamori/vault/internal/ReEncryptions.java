package dev.mamori.vault.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultEvent;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;

/**
 * Background re-encryption jobs. A job walks every participant that holds data of its purpose,
 * batch by batch, storing each participant's cursor after every batch; when all are done the key
 * versions below the job's target are destroyed. Jobs run on the vault's single job thread and
 * pick up where they stopped after a restart, an unseal or a participant's return.
 */
final class ReEncryptions {
    private static final Logger LOG = LoggerFactory.getLogger(ReEncryptions.class);
    static final String RUNNING = "RUNNING";
    static final String DONE = "DONE";
    static final String FAILED = "FAILED";

    private final VaultServiceImpl vault;
    private final TenantContext context;
    private final int batchSize;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    ReEncryptions(VaultServiceImpl vault, TenantContext context, int batchSize) {
        this.vault = vault;
        this.context = context;
        this.batchSize = batchSize;
    }

    void stop() {
        stopped = true;
    }

    /** Starts a job, or resumes the unfinished one of the same tenant and purpose. */
    synchronized ReEncryptionJob start(String tenantId, KeyPurpose purpose) {
        Optional<ReEncryptionJobEntity> open = vault.vaultTx(em -> em.createQuery("SELECT j FROM ReEncryptionJob j "
                + "WHERE j.tenantId = :t AND j.purpose = :p AND j.state <> :d", ReEncryptionJobEntity.class)
                .setParameter("t", tenantId).setParameter("p", purpose.id()).setParameter("d", DONE)
                .getResultList().stream().findFirst());
        if (open.isPresent()) {
            String id = open.get().jobId;
            vault.vaultTx(em -> {
                ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, id);
                j.state = RUNNING;
                j.detail = "resumed";
                return null;
            });
            submit(id);
            return get(id);
        }
        int target = vault.currentVersion(tenantId, purpose).orElseThrow(() -> new VaultException("nothing-to-retire",
                "The tenant has no " + purpose.id() + " key; nothing to re-encrypt."));
        List<Integer> older = vault.retiredBelow(tenantId, purpose, target);
        if (older.isEmpty()) {
            throw new VaultException("nothing-to-retire", "The tenant's " + purpose.id() + " key has no older version "
                    + "that still decrypts; rotate it first (mamori:vault-rotate-tenant).");
        }
        List<String> names = vault.participants.stream().filter(p -> p.holds(purpose)).map(ReEncryptionParticipant::name)
                .distinct().sorted().collect(Collectors.toList());
        if (names.isEmpty()) {
            // retiring without anyone re-encrypting would make data unreadable: refuse
            throw new VaultException("no-participants", "No component that stores " + purpose.id()
                    + " data is running, so nothing can be re-encrypted; the older versions stay.");
        }
        ReEncryptionJobEntity job = new ReEncryptionJobEntity();
        job.jobId = UUID.randomUUID().toString();
        job.tenantId = tenantId;
        job.purpose = purpose.id();
        job.targetVersion = target;
        job.state = RUNNING;
        job.startedAt = vault.clock().millis();
        job.detail = "retiring version(s) " + older;
        vault.vaultTx(em -> {
            em.persist(job);
            em.flush(); // no mapped relationship, so EclipseLink would not order the inserts itself
            for (String name : names) {
                ReEncryptionCursorEntity c = new ReEncryptionCursorEntity();
                c.jobId = job.jobId;
                c.participant = name;
                em.persist(c);
            }
            return null;
        });
        LOG.info("Re-encryption {} started: tenant {} {} to version {}, participants {}", job.jobId, tenantId,
                purpose.id(), target, names);
        vault.emit(VaultEvent.Operation.REENCRYPTION_STARTED, tenantId, null, null);
        submit(job.jobId);
        return get(job.jobId);
    }

    /** Queues every RUNNING job (after start, unseal, or when a participant appears). */
    void resumeAll() {
        if (stopped) {
            return;
        }
        for (String id : vault.vaultTx(em -> em.createQuery("SELECT j.jobId FROM ReEncryptionJob j WHERE j.state = :r",
                String.class).setParameter("r", RUNNING).getResultList())) {
            submit(id);
        }
    }

    private void submit(String jobId) {
        if (!stopped && queued.add(jobId)) {
            try {
                vault.jobs.execute(() -> {
                    queued.remove(jobId);
                    run(jobId);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(jobId);
            }
        }
    }

    /** Runs one job as far as it can go now. */
    void run(String jobId) {
        ReEncryptionJobEntity job = vault.vaultTx(em -> em.find(ReEncryptionJobEntity.class, jobId));
        if (job == null || !RUNNING.equals(job.state)) {
            return;
        }
        KeyPurpose purpose = KeyPurpose.fromId(job.purpose);
        try {
            if (vault.status().sealed()) {
                detail(jobId, "waiting for the vault to be unsealed");
                return;
            }
            for (ReEncryptionCursorEntity c : cursors(jobId)) {
                if (c.done) {
                    continue;
                }
                Optional<ReEncryptionParticipant> p = vault.participants.stream().filter(x -> x.name().equals(c.participant)).findFirst();
                if (p.isEmpty()) {
                    detail(jobId, "waiting for component '" + c.participant + "' to come back");
                    return;
                }
                String cursor = c.cursor;
                boolean done = false;
                while (!done) {
                    if (stopped) {
                        return;
                    }
                    String from = cursor;
                    ReEncryptionBatch batch = context.callAs(job.tenantId, () -> p.get().reEncrypt(job.tenantId, purpose, from,
                            batchSize, vault.reEncryptor(job.tenantId, purpose, job.targetVersion)));
                    cursor = batch.nextCursor();
                    done = cursor == null;
                    String next = cursor;
                    boolean finished = done;
                    vault.vaultTx(em -> {
                        ReEncryptionCursorEntity managed = em.find(ReEncryptionCursorEntity.class,
                                new ReEncryptionCursorEntity.Pk(jobId, c.participant));
                        managed.cursor = next;
                        managed.done = finished;
                        managed.processed += batch.reEncrypted();
                        return null;
                    });
                }
            }
            List<Integer> retired = vault.destroyRetired(job.tenantId, purpose, job.targetVersion);
            vault.vaultTx(em -> {
                ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId);
                j.state = DONE;
                j.retired = retired.stream().map(String::valueOf).collect(Collectors.joining(","));
                j.finishedAt = vault.clock().millis();
                j.detail = retired.isEmpty() ? "no older version left" : "destroyed version(s) " + retired;
                return null;
            });
            LOG.info("Re-encryption {} done: tenant {} {} at version {}, destroyed version(s) {}", jobId, job.tenantId,
                    purpose.id(), job.targetVersion, retired);
            vault.emit(VaultEvent.Operation.REENCRYPTION_FINISHED, job.tenantId,
                    null, null);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("Re-encryption {} failed (start it again to resume): {}", jobId, why, e);
            vault.vaultTx(em -> {
                ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId);
                j.state = FAILED;
                j.detail = why.length() > 1000 ? why.substring(0, 1000) : why;
                return null;
            });
        }
    }

    private void detail(String jobId, String detail) {
        vault.vaultTx(em -> {
            em.find(ReEncryptionJobEntity.class, jobId).detail = detail;
            return null;
        });
    }

    private List<ReEncryptionCursorEntity> cursors(String jobId) {
        return vault.vaultTx(em -> em.createQuery("SELECT c FROM ReEncryptionCursor c WHERE c.jobId = :j ORDER BY c.participant",
                ReEncryptionCursorEntity.class).setParameter("j", jobId).getResultList());
    }

    ReEncryptionJob get(String jobId) {
        return view(vault.vaultTx(em -> em.find(ReEncryptionJobEntity.class, jobId)));
    }

    List<ReEncryptionJob> list() {
        return vault.vaultTx(em -> em.createQuery("SELECT j FROM ReEncryptionJob j ORDER BY j.startedAt DESC",
                ReEncryptionJobEntity.class).getResultList()).stream().map(this::view).collect(Collectors.toList());
    }

    private ReEncryptionJob view(ReEncryptionJobEntity j) {
        List<ReEncryptionCursorEntity> cs = cursors(j.jobId);
        List<Integer> retired = j.retired == null || j.retired.isEmpty() ? List.of()
                : Arrays.stream(j.retired.split(",")).map(Integer::valueOf).collect(Collectors.toList());
        return new ReEncryptionJob(j.jobId, j.tenantId, KeyPurpose.fromId(j.purpose), j.targetVersion,
                ReEncryptionJob.State.valueOf(j.state), cs.stream().mapToLong(c -> c.processed).sum(),
                cs.stream().map(c -> c.participant).collect(Collectors.toList()), retired,
                Instant.ofEpochMilli(j.startedAt), j.finishedAt == null ? null : Instant.ofEpochMilli(j.finishedAt), j.detail);
    }
}
