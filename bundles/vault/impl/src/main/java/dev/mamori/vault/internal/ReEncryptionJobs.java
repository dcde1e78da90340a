package dev.mamori.vault.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultEvents;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;

/**
 * Background re-encryption as a platform job ({@value #TYPE}), one open job per tenant and
 * purpose. A job walks every component that ever held data of its purpose (a persistent registry,
 * so one that is down is waited for, never skipped), one batch per step; each component's cursor
 * is part of the job's checkpoint, so a restart, a failure or another node resumes where it
 * stopped. The last step archives the versions below the job's target, while the job service
 * holds the job: a cancel can never come between archiving and the end.
 */
@Component(service = {JobHandler.class, ReEncryptionJobs.class}, configurationPid = VaultKeys.PID)
public class ReEncryptionJobs implements JobHandler<ReEncryptionJobs.Params, ReEncryptionJobs.Progress> {
    static final String NAME = "vault.reencrypt";
    static final JobType<Params, Progress> TYPE = JobType.of(NAME, Params.class, Progress.class);
    static final PlatformPurpose PURPOSE = PlatformPurpose.of("vault.reencrypt",
            "re-encrypt a tenant's data under its current key version");
    private static final Logger LOG = LoggerFactory.getLogger(ReEncryptionJobs.class);

    private final VaultKeys keys;
    private final KeyLifecycle lifecycle;
    private final VaultService vault;
    private final JobService jobs;
    private final TenantContext context;
    private final TenantService tenants;
    private volatile VaultSettings settings;
    final List<ReEncryptionParticipant> participants = new CopyOnWriteArrayList<>();

    /**
     * @param keys      the key holder
     * @param lifecycle archiving and versions
     * @param vault     decrypts and encrypts for the re-encryptor
     * @param jobs      runs the jobs
     * @param context   binds the tenant for each batch
     * @param tenants   tenant lookups
     * @param config    configuration
     */
    @Activate
    public ReEncryptionJobs(@Reference VaultKeys keys, @Reference KeyLifecycle lifecycle, @Reference VaultService vault,
            @Reference JobService jobs, @Reference TenantContext context, @Reference TenantService tenants,
            VaultSettings.Config config) {
        this(keys, lifecycle, vault, jobs, context, tenants, VaultSettings.of(config));
    }

    ReEncryptionJobs(VaultKeys keys, KeyLifecycle lifecycle, VaultService vault, JobService jobs, TenantContext context,
            TenantService tenants, VaultSettings settings) {
        this.keys = keys;
        this.lifecycle = lifecycle;
        this.vault = vault;
        this.jobs = jobs;
        this.context = context;
        this.tenants = tenants;
        this.settings = settings;
        keys.onUnseal(() -> jobs.wake(TYPE));
    }

    @Modified
    void modified(VaultSettings.Config config) {
        settings = VaultSettings.of(config);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindParticipant(ReEncryptionParticipant p) {
        participants.add(p);
        String name = p.name();
        if (!validName(name)) {
            LOG.error("Component {} holds vault ciphertext under an invalid name '{}' (1-100 characters); re-encryptions "
                    + "will refuse to start until it is fixed", p.getClass().getName(), name);
        } else {
            if (participants.stream().filter(x -> name.equals(x.name())).count() > 1) {
                LOG.error("Two components are named '{}'; re-encryptions will refuse to start until one is renamed", name);
            }
            try {
                register(p, name);
            } catch (RuntimeException e) {
                LOG.error("Could not remember component '{}' for re-encryption: {}", name, e.toString());
            }
        }
        // jobs waiting for this component go on
        jobs.wake(TYPE);
    }

    void unbindParticipant(ReEncryptionParticipant p) {
        participants.remove(p);
    }

    private static boolean validName(String name) {
        return name != null && !name.isBlank() && name.length() <= 100 && name.indexOf('\t') < 0 && name.indexOf('\n') < 0;
    }

    private void register(ReEncryptionParticipant p, String name) {
        long now = keys.clock().millis();
        keys.stores().tx(em -> {
            for (KeyPurpose purpose : KeyPurpose.values()) {
                if (p.holds(purpose) && em.find(ParticipantEntity.class, new ParticipantEntity.Pk(name, purpose.id())) == null) {
                    ParticipantEntity e = new ParticipantEntity();
                    e.name = name;
                    e.purpose = purpose.id();
                    e.firstSeen = now;
                    em.persist(e);
                }
            }
            return null;
        });
    }

    private List<String> registered(KeyPurpose purpose) {
        return keys.stores().tx(em -> em.createQuery("SELECT p.name FROM Participant p WHERE p.purpose = :p ORDER BY p.name",
                String.class).setParameter("p", purpose.id()).getResultList());
    }

    private Set<String> running(KeyPurpose purpose) {
        return participants.stream().filter(p -> p.holds(purpose)).map(ReEncryptionParticipant::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    List<ParticipantInfo> participantInfo(KeyPurpose purpose) {
        Set<String> running = running(purpose);
        return registered(purpose).stream().map(n -> new ParticipantInfo(n, purpose, running.contains(n))).collect(Collectors.toList());
    }

    boolean forget(String name, KeyPurpose purpose) {
        if (running(purpose).contains(name)) {
            throw new VaultException(VaultErrors.PARTICIPANT_RUNNING, "Component '" + name + "' is running; only a component "
                    + "that is gone for good can be forgotten.");
        }
        boolean known = keys.stores().tx(em -> {
            ParticipantEntity e = em.find(ParticipantEntity.class, new ParticipantEntity.Pk(name, purpose.id()));
            if (e != null) {
                em.remove(e);
            }
            return e != null;
        });
        if (known) {
            LOG.warn("Re-encryptions of {} data no longer wait for component '{}'", purpose.id(), name);
            // each open job drops it at its next step
            jobs.wake(TYPE);
        }
        return known;
    }

    /** Starts a job, or resumes the unfinished one of the same tenant and purpose. */
    ReEncryptionJob start(String tenantId, KeyPurpose purpose) {
        keys.unsealed();
        tenants.get(tenantId);
        int target = lifecycle.currentVersion(tenantId, purpose).orElseThrow(() -> new VaultException(VaultErrors.NOTHING_TO_RETIRE,
                "The tenant has no " + purpose.id() + " key; nothing to re-encrypt."));
        List<ReEncryptionParticipant> bound = participants.stream().filter(p -> p.holds(purpose)).collect(Collectors.toList());
        Set<String> names = new TreeSet<>();
        for (ReEncryptionParticipant p : bound) {
            if (!validName(p.name())) {
                throw new VaultException(VaultErrors.PARTICIPANT_NAME_INVALID, "A component holding " + purpose.id()
                        + " data has an invalid name '" + p.name() + "' (1-100 characters). Nothing started.");
            }
            if (!names.add(p.name())) {
                throw new VaultException(VaultErrors.DUPLICATE_PARTICIPANT, "Two running components are named '" + p.name()
                        + "'; a re-encryption could not tell their progress apart. Nothing started.");
            }
        }
        // register what runs now (bindParticipant did, unless that failed), then require everything ever registered
        bound.forEach(p -> register(p, p.name()));
        List<String> missing = participantInfo(purpose).stream().filter(p -> !p.running()).map(ParticipantInfo::name)
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new VaultException(VaultErrors.PARTICIPANTS_MISSING, "Component(s) " + missing + " held " + purpose.id()
                    + " data before and are not running; start them (or, if gone for good, forget them with "
                    + "mamori:vault-participants --forget). Nothing started.");
        }
        String key = tenantId + "|" + purpose.id();
        Optional<JobInfo> open = jobs.findOpen(TYPE, tenantId, key);
        if (open.isPresent()) {
            if (jobs.parameters(open.get(), TYPE).target() == target) {
                return view(jobs.submit(request(tenantId, purpose, target)));
            }
            // a newer rotation supersedes it: that job's archiving would stop short of the new target
            try {
                jobs.cancel(open.get().id());
            } catch (MamoriException e) {
                if (!e.errorCode().equals(PlatformErrors.JOB_FINISHED)) {
                    throw e;
                }
            }
        }
        if (lifecycle.retiredBelow(tenantId, purpose, target).isEmpty()) {
            throw new VaultException(VaultErrors.NOTHING_TO_RETIRE, "The tenant's " + purpose.id() + " key has no older version "
                    + "that still decrypts; rotate it first (mamori:vault-rotate-tenant).");
        }
        if (bound.isEmpty()) {
            throw new VaultException(VaultErrors.NO_PARTICIPANTS, "No component declares " + purpose.id() + " data; the older "
                    + "versions cannot be retired safely. Nothing started.");
        }
        JobInfo job = jobs.submit(request(tenantId, purpose, target));
        keys.keyIdOf(tenantId, purpose).ifPresent(id ->
                keys.emit(VaultEvents.REENCRYPTION_STARTED, tenantId, new KeyRef(id, target), purpose, null));
        return view(job);
    }

    private static JobRequest<Params> request(String tenantId, KeyPurpose purpose, int target) {
        return JobRequest.of(TYPE, new Params(tenantId, purpose, target)).key(tenantId + "|" + purpose.id()).tenant(tenantId);
    }

    ReEncryptionJob cancel(String jobId) {
        jobs.find(jobId).filter(j -> j.type().equals(NAME)).orElseThrow(() -> new MamoriException(PlatformErrors.NO_SUCH_JOB,
                "No re-encryption '" + jobId + "'."));
        return view(jobs.cancel(jobId));
    }

    List<ReEncryptionJob> list() {
        return jobs.list(NAME, null, 1000).stream().map(this::view).collect(Collectors.toList());
    }

    @Override
    public JobType<Params, Progress> type() {
        return TYPE;
    }

    @Override
    public JobStep<Progress> step(JobRun<Params, Progress> run) {
        Params params = run.parameters();
        if (keys.status().sealed()) {
            return JobStep.waiting("waiting for the vault to be unsealed", Duration.ofMinutes(1));
        }
        Progress progress = run.cursor().map(Progress::copy).orElseGet(Progress::new);
        // every component registered now takes part, also one that arrived while the job was stopped;
        // one that was forgotten no longer holds the job
        Set<String> registered = new TreeSet<>(registered(params.purpose()));
        progress.entries.keySet().retainAll(registered);
        registered.forEach(n -> progress.entries.putIfAbsent(n, new Progress.Entry(null, false, 0)));
        Optional<Map.Entry<String, Progress.Entry>> next = progress.entries.entrySet().stream().filter(e -> !e.getValue().done)
                .findFirst();
        if (next.isEmpty()) {
            return finish(params, progress);
        }
        String name = next.get().getKey();
        Progress.Entry at = next.get().getValue();
        Optional<ReEncryptionParticipant> p = participants.stream().filter(x -> name.equals(x.name())).findFirst();
        if (p.isEmpty()) {
            return JobStep.waiting("waiting for component '" + name + "' to come back", Duration.ofHours(1));
        }
        String from = at.cursor;
        ReEncryptionBatch batch = context.callAsPlatform(params.tenantId(), PURPOSE, () -> p.get().reEncrypt(params.tenantId(),
                params.purpose(), from, settings.reEncryptBatch(),
                lifecycle.reEncryptor(vault, params.tenantId(), params.purpose(), params.target())));
        if (batch.nextCursor() != null && batch.nextCursor().equals(from) && batch.reEncrypted() == 0) {
            throw new IllegalStateException("Component '" + name + "' returned the same position twice without re-encrypting "
                    + "anything; stopped to avoid an endless loop.");
        }
        progress.entries.put(name, new Progress.Entry(batch.nextCursor(), batch.nextCursor() == null,
                at.processed + batch.reEncrypted()));
        return JobStep.progress(progress, batch.reEncrypted()).withDetail("re-encrypting (" + name + ")");
    }

    /** Every component is done: archive the older versions; the job service records the end with this step. */
    private JobStep<Progress> finish(Params params, Progress progress) {
        List<Integer> archived = lifecycle.archiveRetired(params.tenantId(), params.purpose(), params.target());
        keys.keyIdOf(params.tenantId(), params.purpose()).ifPresent(id -> keys.emit(VaultEvents.REENCRYPTION_FINISHED,
                params.tenantId(), new KeyRef(id, params.target()), params.purpose(), null));
        LOG.info("Re-encryption of tenant {} {} to version {} done, archived version(s) {}", params.tenantId(),
                params.purpose().id(), params.target(), archived);
        String retired = archived.stream().map(String::valueOf).collect(Collectors.joining(","));
        return JobStep.<Progress>finished(archived.isEmpty() ? "no older version left" : "archived version(s) " + retired)
                .withResult("retired=" + retired + "\tparticipants=" + String.join(",", progress.entries.keySet()));
    }

    ReEncryptionJob view(JobInfo j) {
        Params params = jobs.parameters(j, TYPE);
        List<String> names;
        List<Integer> retired = List.of();
        if (j.result() != null) {
            Map<String, String> r = new TreeMap<>();
            for (String part : j.result().split("\t")) {
                String[] kv = part.split("=", 2);
                r.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            names = split(r.get("participants"));
            retired = split(r.get("retired")).stream().map(Integer::valueOf).collect(Collectors.toList());
        } else {
            // an open job walks what is registered when it next steps
            names = registered(params.purpose());
        }
        ReEncryptionJob.State state;
        switch (j.state()) {
            case DONE:
                state = ReEncryptionJob.State.DONE;
                break;
            case FAILED:
                state = ReEncryptionJob.State.FAILED;
                break;
            case CANCELLED:
                state = ReEncryptionJob.State.CANCELLED;
                break;
            default:
                state = ReEncryptionJob.State.RUNNING;
        }
        return new ReEncryptionJob(j.id(), params.tenantId(), params.purpose(), params.target(), state, j.done(), names, retired,
                j.createdAt(), j.finishedAt(), j.detail());
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    /**
     * What a job re-encrypts (the job's typed parameters).
     *
     * @param tenantId the tenant
     * @param purpose  the key purpose
     * @param target   the key version everything is re-encrypted to
     */
    public record Params(String tenantId, KeyPurpose purpose, int target) {
    }

    /** Each component's cursor and progress: the job's typed checkpoint. */
    public static final class Progress {
        /**
         * One component's place.
         *
         * @param cursor    its opaque cursor, null before its first batch
         * @param done      whether it has nothing left
         * @param processed values re-encrypted so far
         */
        public record Entry(String cursor, boolean done, long processed) {
        }

        /** By component name, in name order. */
        public TreeMap<String, Entry> entries = new TreeMap<>();

        Progress copy() {
            Progress p = new Progress();
            p.entries.putAll(entries);
            return p;
        }
    }
}
