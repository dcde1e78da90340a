package dev.mamori.vault.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultEvent;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;

/**
 * Background re-encryption jobs. A job walks every component that ever held data of its purpose
 * (a persistent registry, so one that is down is waited for, never skipped), one batch per task on
 * the vault's job thread, storing each component's cursor after every batch. When all are done the
 * key versions below the job's target are archived. Jobs pick up where they stopped after a restart,
 * an unseal, or a component's return.
 */
final class ReEncryptions {
    private static final Logger LOG = LoggerFactory.getLogger(ReEncryptions.class);
    static final String RUNNING = "RUNNING";
    static final String DONE = "DONE";
    static final String FAILED = "FAILED";
    static final String CANCELLED = "CANCELLED";

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

    /** A component appeared: remember it for its purposes, add it to open jobs, resume them. */
    synchronized void joined(ReEncryptionParticipant p) {
        long now = vault.clock() == null ? System.currentTimeMillis() : vault.clock().millis();
        String name = p.name();
        if (name == null || name.isBlank() || name.length() > 100) {
            LOG.error("Component {} holds vault ciphertext under an invalid name '{}' (1-100 characters); re-encryptions "
                    + "will refuse to start until it is fixed", p.getClass().getName(), name);
            return;
        }
        if (vault.participants.stream().filter(x -> name.equals(x.name())).count() > 1) {
            LOG.error("Two components are named '{}'; re-encryptions will refuse to start until one is renamed", name);
        }
        try {
            register(p, name, now);
        } finally {
            // even if registering failed, jobs waiting for a component that runs again try once more
            resumeAll();
        }
    }

    private void register(ReEncryptionParticipant p, String name, long now) {
        vault.vaultTx(em -> {
            for (KeyPurpose purpose : KeyPurpose.values()) {
                if (!p.holds(purpose)) {
                    continue;
                }
                if (em.find(ParticipantEntity.class, new ParticipantEntity.Pk(name, purpose.id())) == null) {
                    ParticipantEntity e = new ParticipantEntity();
                    e.name = name;
                    e.purpose = purpose.id();
                    e.firstSeen = now;
                    em.persist(e);
                }
                for (String jobId : em.createQuery("SELECT j.jobId FROM ReEncryptionJob j WHERE j.purpose = :p AND j.state IN :s "
                        + "ORDER BY j.jobId", String.class).setParameter("p", purpose.id()).setParameter("s", List.of(RUNNING, FAILED))
                        .getResultList()) {
                    // holding the job row: a job finishing at this moment either sees the cursor or is already DONE
                    ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
                    if (j != null && (RUNNING.equals(j.state) || FAILED.equals(j.state))) {
                        addCursor(em, j.jobId, name);
                    }
                }
            }
            return null;
        });
    }

    private static void addCursor(javax.persistence.EntityManager em, String jobId, String name) {
        if (em.find(ReEncryptionCursorEntity.class, new ReEncryptionCursorEntity.Pk(jobId, name)) == null) {
            ReEncryptionCursorEntity c = new ReEncryptionCursorEntity();
            c.jobId = jobId;
            c.participant = name;
            em.persist(c);
        }
    }

    private static List<String> registered(javax.persistence.EntityManager em, String purpose) {
        return em.createQuery("SELECT p.name FROM Participant p WHERE p.purpose = :p", String.class)
                .setParameter("p", purpose).getResultList();
    }

    List<ParticipantInfo> participants(KeyPurpose purpose) {
        Set<String> running = running(purpose);
        return vault.vaultTx(em -> em.createQuery("SELECT p.name FROM Participant p WHERE p.purpose = :p ORDER BY p.name",
                String.class).setParameter("p", purpose.id()).getResultList()).stream()
                .map(n -> new ParticipantInfo(n, purpose, running.contains(n))).collect(Collectors.toList());
    }

    synchronized boolean forget(String name, KeyPurpose purpose) {
        if (running(purpose).contains(name)) {
            throw new VaultException("participant-running", "Component '" + name + "' is running; only a component "
                    + "that is gone for good can be forgotten.");
        }
        boolean known = vault.vaultTx(em -> {
            ParticipantEntity e = em.find(ParticipantEntity.class, new ParticipantEntity.Pk(name, purpose.id()));
            if (e != null) {
                em.remove(e);
                // open jobs stop waiting for it too; each job row held, so a finishing job is left as it is
                for (String jobId : em.createQuery("SELECT j.jobId FROM ReEncryptionJob j WHERE j.purpose = :p AND j.state IN :s "
                        + "ORDER BY j.jobId", String.class).setParameter("p", purpose.id()).setParameter("s", List.of(RUNNING, FAILED))
                        .getResultList()) {
                    ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
                    ReEncryptionCursorEntity c = em.find(ReEncryptionCursorEntity.class, new ReEncryptionCursorEntity.Pk(jobId, name));
                    if (j != null && (RUNNING.equals(j.state) || FAILED.equals(j.state)) && c != null && !c.done) {
                        em.remove(c);
                    }
                }
            }
            return e != null;
        });
        if (known) {
            LOG.warn("Re-encryptions of {} data no longer wait for component '{}'", purpose.id(), name);
            resumeAll();
        }
        return known;
    }

    private Set<String> running(KeyPurpose purpose) {
        return vault.participants.stream().filter(p -> p.holds(purpose)).map(ReEncryptionParticipant::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Starts a job, or resumes the unfinished one of the same tenant and purpose. */
    synchronized ReEncryptionJob start(String tenantId, KeyPurpose purpose) {
        int target = vault.currentVersion(tenantId, purpose).orElseThrow(() -> new VaultException("nothing-to-retire",
                "The tenant has no " + purpose.id() + " key; nothing to re-encrypt."));
        List<ReEncryptionParticipant> bound = vault.participants.stream().filter(p -> p.holds(purpose)).collect(Collectors.toList());
        Set<String> names = new TreeSet<>();
        for (ReEncryptionParticipant p : bound) {
            if (p.name() == null || p.name().isBlank() || p.name().length() > 100) {
                throw new VaultException("participant-name-invalid", "A component holding " + purpose.id()
                        + " data has an invalid name '" + p.name() + "' (1-100 characters). Nothing started.");
            }
            if (!names.add(p.name())) {
                throw new VaultException("duplicate-participant", "Two running components are named '" + p.name()
                        + "'; a re-encryption could not tell their progress apart. Nothing started.");
            }
        }
        // register what runs now (bindParticipant did, unless that failed), then require everything ever registered
        long now = vault.clock().millis();
        bound.forEach(p -> register(p, p.name(), now));
        List<String> missing = participants(purpose).stream().filter(p -> !p.running()).map(ParticipantInfo::name)
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new VaultException("participants-missing", "Component(s) " + missing + " held " + purpose.id()
                    + " data before and are not running; start them (or, if gone for good, forget them with "
                    + "mamori:vault-participants --forget). Nothing started.");
        }
        Optional<ReEncryptionJobEntity> open = vault.vaultTx(em -> em.createQuery("SELECT j FROM ReEncryptionJob j "
                + "WHERE j.tenantId = :t AND j.purpose = :p AND j.state IN :s", ReEncryptionJobEntity.class)
                .setParameter("t", tenantId).setParameter("p", purpose.id()).setParameter("s", List.of(RUNNING, FAILED))
                .getResultList().stream().findFirst());
        if (open.isPresent() && open.get().targetVersion == target) {
            String id = open.get().jobId;
            vault.vaultTx(em -> {
                ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, id, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
                if (j != null && (RUNNING.equals(j.state) || FAILED.equals(j.state))) {
                    // every component registered now takes part, also one that arrived while the job was stopped
                    for (String name : registered(em, purpose.id())) {
                        addCursor(em, id, name);
                    }
                }
                return null;
            });
            if (!transition(id, List.of(RUNNING, FAILED), RUNNING, "resumed")) {
                throw new VaultException("job-finished", "Re-encryption " + id + " ended meanwhile; start again.");
            }
            submit(id);
            return get(id);
        }
        List<Integer> older = vault.retiredBelow(tenantId, purpose, target);
        if (older.isEmpty()) {
            throw new VaultException("nothing-to-retire", "The tenant's " + purpose.id() + " key has no older version "
                    + "that still decrypts; rotate it first (mamori:vault-rotate-tenant).");
        }
        if (names.isEmpty()) {
            // archiving without anyone re-encrypting would strand data: refuse
            throw new VaultException("no-participants", "No component that stores " + purpose.id()
                    + " data is running, so nothing can be re-encrypted; the older versions stay.");
        }
        open.ifPresent(j -> transition(j.jobId, List.of(RUNNING, FAILED), CANCELLED,
                "superseded by a re-encryption to version " + target));
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
        vault.keyIdOf(tenantId, purpose).ifPresent(keyId ->
                vault.emit(VaultEvent.Operation.REENCRYPTION_STARTED, tenantId, new KeyRef(keyId, target), null));
        submit(job.jobId);
        return get(job.jobId);
    }

    synchronized ReEncryptionJob cancel(String jobId) {
        ReEncryptionJobEntity j = vault.vaultTx(em -> em.find(ReEncryptionJobEntity.class, jobId));
        if (j == null) {
            throw new VaultException("no-such-job", "No re-encryption job '" + jobId + "'.");
        }
        if (!transition(jobId, List.of(RUNNING, FAILED), CANCELLED, "cancelled by an operator; nothing archived")) {
            throw new VaultException("job-finished", "Re-encryption " + jobId + " is " + get(jobId).state()
                    + "; nothing to cancel.");
        }
        return get(jobId);
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
                    if (step(jobId)) {
                        submit(jobId);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(jobId);
            }
        }
    }

    /**
     * One batch of one job, or its completion.
     *
     * @return whether there is more to do at once
     */
    boolean step(String jobId) {
        if (stopped) {
            return false;
        }
        ReEncryptionJobEntity job = vault.vaultTx(em -> em.find(ReEncryptionJobEntity.class, jobId));
        if (job == null || !RUNNING.equals(job.state)) {
            return false;
        }
        KeyPurpose purpose = KeyPurpose.fromId(job.purpose);
        try {
            if (vault.status().sealed()) {
                detail(jobId, "waiting for the vault to be unsealed");
                return false;
            }
            Optional<ReEncryptionCursorEntity> next = cursors(jobId).stream().filter(c -> !c.done).findFirst();
            if (next.isEmpty()) {
                return finish(job, purpose);
            }
            ReEncryptionCursorEntity c = next.get();
            Optional<ReEncryptionParticipant> p = vault.participants.stream().filter(x -> x.name().equals(c.participant)).findFirst();
            if (p.isEmpty()) {
                detail(jobId, "waiting for component '" + c.participant + "' to come back");
                return false;
            }
            String from = c.cursor;
            ReEncryptionBatch batch = context.callAs(job.tenantId, () -> p.get().reEncrypt(job.tenantId, purpose, from,
                    batchSize, vault.reEncryptor(job.tenantId, purpose, job.targetVersion)));
            if (batch.nextCursor() != null && batch.nextCursor().equals(from) && batch.reEncrypted() == 0) {
                throw new IllegalStateException("Component '" + c.participant + "' returned the same position twice "
                        + "without re-encrypting anything; stopped to avoid an endless loop.");
            }
            vault.vaultTx(em -> {
                ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
                ReEncryptionCursorEntity managed = em.find(ReEncryptionCursorEntity.class,
                        new ReEncryptionCursorEntity.Pk(jobId, c.participant));
                // a cancel, or a forget of this component, may have come during the batch
                if (j != null && RUNNING.equals(j.state) && managed != null) {
                    managed.cursor = batch.nextCursor();
                    managed.done = batch.nextCursor() == null;
                    managed.processed += batch.reEncrypted();
                    j.detail = "re-encrypting (" + c.participant + ")";
                }
                return null;
            });
            return true;
        } catch (VaultSealedException e) {
            detail(jobId, "waiting for the vault to be unsealed");
            return false;
        } catch (RuntimeException e) {
            if (lockTimeout(e)) {
                // another transaction held the job row too long (H2 gives up after 2 s): try again shortly
                LOG.info("Re-encryption {} waits for a lock; retrying in 1 s", jobId);
                try {
                    vault.jobs.schedule(() -> submit(jobId), 1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // resumed at the next start
                }
                return false;
            }
            if (stopped) {
                // shutting down (restart, reconfiguration): the job stays RUNNING and resumes at the next start
                LOG.info("Re-encryption {} paused by shutdown: {}", jobId, e.toString());
                return false;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("Re-encryption {} failed (start it again to resume): {}", jobId, why, e);
            transition(jobId, List.of(RUNNING), FAILED, why.length() > 1000 ? why.substring(0, 1000) : why);
            return false;
        }
    }

    /**
     * Ends a job whose cursors are all done: in one transaction that holds the job row, checks it is
     * still RUNNING (a cancel may have come first) and that every registered component took part,
     * archives the older versions and marks the job DONE.
     *
     * @return whether there is more to do (a component to walk first)
     */
    private boolean finish(ReEncryptionJobEntity job, KeyPurpose purpose) {
        Finish outcome;
        // the vault's lock too: archiving must not interleave with a shredding or an expiry of the same keys
        synchronized (vault) {
            outcome = finishInTx(job, purpose);
        }
        if (!outcome.done()) {
            return outcome.more();
        }
        vault.archived(outcome.archived());
        LOG.info("Re-encryption {} done: tenant {} {} at version {}, archived version(s) {}", job.jobId, job.tenantId,
                purpose.id(), job.targetVersion, outcome.archived().stream().map(r -> r.version).collect(Collectors.toList()));
        vault.keyIdOf(job.tenantId, purpose).ifPresent(keyId ->
                vault.emit(VaultEvent.Operation.REENCRYPTION_FINISHED, job.tenantId, new KeyRef(keyId, job.targetVersion), null));
        return false;
    }

    private Finish finishInTx(ReEncryptionJobEntity job, KeyPurpose purpose) {
        return vault.vaultTx(em -> {
            ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, job.jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (j == null || !RUNNING.equals(j.state)) {
                return new Finish(false, false, List.of());
            }
            boolean added = false;
            for (String name : registered(em, purpose.id())) {
                if (em.find(ReEncryptionCursorEntity.class, new ReEncryptionCursorEntity.Pk(j.jobId, name)) == null) {
                    addCursor(em, j.jobId, name);
                    added = true;
                }
            }
            long open = em.createQuery("SELECT COUNT(c) FROM ReEncryptionCursor c WHERE c.jobId = :j AND c.done = false", Long.class)
                    .setParameter("j", j.jobId).getSingleResult();
            if (added || open > 0) {
                return new Finish(true, false, List.of());
            }
            List<DataKeyEntity> rows = vault.archiveRetired(em, j.tenantId, purpose, j.targetVersion);
            j.state = DONE;
            j.retired = rows.stream().map(r -> String.valueOf(r.version)).collect(Collectors.joining(","));
            j.finishedAt = vault.clock().millis();
            j.detail = rows.isEmpty() ? "no older version left" : "archived version(s) " + j.retired;
            return new Finish(false, true, rows);
        });
    }

    private static boolean lockTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.persistence.PessimisticLockException || t instanceof javax.persistence.LockTimeoutException
                    || t instanceof java.sql.SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #finish} found. */
    private record Finish(boolean more, boolean done, List<DataKeyEntity> archived) {
    }

    /** Moves a job from one of {@code from} to {@code to}, holding its row; false if it was in no such state. */
    private boolean transition(String jobId, List<String> from, String to, String detail) {
        return vault.vaultTx(em -> {
            ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (j == null || !from.contains(j.state)) {
                return false;
            }
            j.state = to;
            j.detail = detail;
            if (CANCELLED.equals(to)) {
                j.finishedAt = vault.clock().millis();
            }
            return true;
        });
    }

    private void detail(String jobId, String detail) {
        vault.vaultTx(em -> {
            ReEncryptionJobEntity j = em.find(ReEncryptionJobEntity.class, jobId, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (j != null && RUNNING.equals(j.state)) {
                j.detail = detail;
            }
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
