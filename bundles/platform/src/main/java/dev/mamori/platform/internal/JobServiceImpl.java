package dev.mamori.platform.internal;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.platform.job.JobType;

/**
 * The job service's facade: OSGi wiring, the caller's scope (see {@link JobScope}) on every read
 * and cancel, and delegation. Jobs live in {@code mamori_job}; {@link JobSubmission} records them,
 * {@link JobPoller} claims due ones (a compare-and-set on the lease), {@link JobRunner} runs each
 * step while holding the job's row (so a cancel waits for the step in flight), {@link JobSchedules}
 * submits the cron runs.
 */
@Component(service = JobService.class, configurationPid = JobServiceImpl.PID)
@Designate(ocd = JobServiceImpl.Config.class)
public class JobServiceImpl implements JobService {
    static final String PID = "dev.mamori.jobs";
    private static final Logger LOG = LoggerFactory.getLogger(JobServiceImpl.class);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

    /** Job configuration (PID dev.mamori.jobs). */
    @ObjectClassDefinition(name = "Mamori jobs", description = "Durable background jobs.")
    public @interface Config {
        /** @return workers */
        @AttributeDefinition(description = "Jobs this node runs at the same time.", min = "1", max = "16")
        int workers() default 2;

        /** @return seconds */
        @AttributeDefinition(description = "How often this node looks for due jobs and schedules, in seconds.", min = "1")
        int poll_interval_seconds() default 2;

        /** @return seconds */
        @AttributeDefinition(description = "How long a node's claim on a job lasts without a step; after it, another "
                + "node takes the job over (the first one died).", min = "10")
        int lease_seconds() default 60;
    }

    /** The configuration as plain values, so tests need no annotation instance. */
    record Settings(int workers, Duration pollInterval, Duration lease, String node) {
        static Settings of(Config c) {
            return new Settings(c.workers(), Duration.ofSeconds(c.poll_interval_seconds()), Duration.ofSeconds(c.lease_seconds()),
                    nodeName());
        }

        private static String nodeName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "node";
            }
            String cut = host.length() > 60 ? host.substring(0, 60) : host;
            return cut + "/" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    private final JobStore store;
    private final EventPublisher events;
    private final JobHandlers handlers = new JobHandlers();
    private final JobSubmission submission;
    private final JobRunner runner;
    private final JobSchedules schedules;
    private final JobPoller poller;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile JobArtifactStore artifactStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile JobTenants tenantDirectory;

    /**
     * @param dataSource the {@code mamori} database
     * @param schema     present once the job tables exist
     * @param events     where job events go
     * @param config     configuration
     */
    @Activate
    public JobServiceImpl(@Reference(target = "(osgi.jndi.service.name=mamori)") DataSource dataSource,
            @Reference(target = "(" + SchemaReady.NAME + "=platform)") SchemaReady schema, @Reference EventPublisher events,
            Config config) {
        this(dataSource, events, Settings.of(config), null);
        start();
    }

    JobServiceImpl(DataSource dataSource, EventPublisher events, Settings settings, Clock clock) {
        this.store = new JobStore(dataSource);
        this.events = events;
        this.clock = clock;
        java.util.concurrent.atomic.AtomicReference<JobPoller> poll = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable nudge = () -> {
            JobPoller p = poll.get();
            if (p != null) {
                p.nudge();
            }
        };
        this.submission = new JobSubmission(store, handlers, events, () -> this.clock, nudge);
        this.runner = new JobRunner(store, settings, handlers, events, () -> this.clock, () -> poll.get().stopped(),
                new java.util.concurrent.atomic.AtomicLong(), () -> artifactStore, () -> tenantDirectory);
        this.schedules = new JobSchedules(store, handlers, () -> this.clock, submission, () -> tenantDirectory);
        this.poller = new JobPoller(store, settings, handlers, runner, schedules, () -> this.clock);
        poll.set(poller);
    }

    /**
     * A job service outside OSGi, for the tests of bundles that run jobs (the package is not
     * exported, so no bundle can reach it in the container). Bind handlers, then {@link #start()}.
     *
     * @param dataSource a database with the platform schema
     * @param events     where job events go
     * @param clock      the clock
     * @param node       this node's name
     * @param poll       how often to look for due jobs
     * @param lease      how long a claim lasts without a step
     * @return the service, not started
     */
    public static JobServiceImpl standalone(DataSource dataSource, EventPublisher events, Clock clock, String node, Duration poll,
            Duration lease) {
        return new JobServiceImpl(dataSource, events, new Settings(2, poll, lease, node), clock);
    }

    /** @param store the artifact store (tests outside OSGi) */
    public void artifactStore(JobArtifactStore store) {
        this.artifactStore = store;
    }

    /** @param tenants the tenant directory of per-tenant schedules (tests outside OSGi) */
    public void tenantDirectory(JobTenants tenants) {
        this.tenantDirectory = tenants;
    }

    /** Starts polling (tests start it themselves, after binding handlers). */
    public void start() {
        poller.start();
    }

    /** Stops taking jobs at once, without waiting (safe from inside a step); see {@link #deactivate()}. */
    public void stop() {
        poller.stop();
    }

    /** Stops taking jobs; a step in flight ends, and its job is given back for any node to resume. */
    @Deactivate
    public void deactivate() {
        poller.stop();
        poller.awaitStop();
    }

    /**
     * @param handler a job handler
     * @param props   its service properties (optionally {@value JobHandler#SCHEDULE}, {@value JobHandler#SCHEDULE_SCOPE},
     *                {@code service.id}, {@code service.ranking})
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "updatedHandler")
    public void bindHandler(JobHandler<?, ?> handler, Map<String, Object> props) {
        JobHandlers.Handler h = handlers.bind(handler, props);
        if (h != null) {
            schedules.changed(h.name());
            poller.nudge();
        }
    }

    /** A handler's properties changed (a new schedule). */
    void updatedHandler(JobHandler<?, ?> handler, Map<String, Object> props) {
        unbindHandler(handler, props);
        bindHandler(handler, props);
    }

    /** @param handler a handler going away @param props its service properties */
    public void unbindHandler(JobHandler<?, ?> handler, Map<String, Object> props) {
        handlers.unbind(handler);
    }

    @Override
    public <P> JobInfo submit(JobRequest<P> request) {
        return submission.submit(request);
    }

    @Override
    public Optional<JobInfo> find(String id) {
        return findRow(id).map(JobStore.Row::info);
    }

    /** @return the job's row if it exists and the caller may see it */
    private Optional<JobStore.Row> findRow(String id) {
        JobScope scope = JobScope.ofCaller();
        if (id == null || id.length() > 36 || scope.none()) {
            return Optional.empty();
        }
        try {
            return store.find(id).filter(r -> scope.sees(r.tenantId));
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("read job");
        }
    }

    @Override
    public Optional<JobInfo> findOpen(JobType<?, ?> type, String tenantId, String key) {
        JobScope scope = JobScope.ofCaller();
        if (scope.none()) {
            return Optional.empty();
        }
        try {
            return store.findOpen(type.name(), tenantId, key).filter(r -> scope.sees(r.tenantId)).map(JobStore.Row::info);
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("read job");
        }
    }

    @Override
    public List<JobInfo> list(String type, String tenantId, int limit) {
        JobScope scope = JobScope.ofCaller();
        if (scope.none() || tenantId != null && !scope.sees(tenantId)) {
            return List.of();
        }
        String tenant = scope.all() ? tenantId : scope.tenantId();
        try {
            return store.list(type, tenant, Math.max(1, Math.min(limit, 1000))).stream().map(JobStore.Row::info)
                    .collect(Collectors.toList());
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("list jobs");
        }
    }

    @Override
    public JobInfo cancel(String id) {
        JobStore.Row found = findRow(id).orElseThrow(() -> new MamoriException(PlatformErrors.NO_SUCH_JOB,
                "No job '" + JobTx.printable(id) + "'."));
        Optional<dev.mamori.platform.context.Principal> caller = ExecutionContext.current().flatMap(ExecutionContext::principal);
        if (caller.map(p -> p.kind() == PrincipalKind.SUPPORT).orElse(false)) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Support reads jobs; it does not cancel them.");
        }
        if (!JobScope.ofCaller().all() && !submittedByTenant(found.requestedBy)) {
            // a tenant's caller stops what the tenant's accounts started, never the platform's work for the tenant
            throw new MamoriException(PlatformErrors.FORBIDDEN, "This job is the platform's work for your tenant; only an "
                    + "operator can cancel it.");
        }
        if (!found.state.isOpen()) {
            throw new MamoriException(PlatformErrors.JOB_FINISHED, "Job " + found.id + " is already " + found.state + ".");
        }
        try {
            // first, without waiting for the row: from now on no step starts, and a heartbeat stops its step
            store.requestCancel(id, requester(), clock.millis());
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("cancel job");
        }
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        while (true) {
            try {
                return JobTx.inTx(store, c -> {
                    JobStore.Row r = JobStore.load(c, id, true).orElseThrow(() -> new MamoriException(PlatformErrors.NO_SUCH_JOB,
                            "No job '" + JobTx.printable(id) + "'."));
                    if (!r.state.isOpen()) {
                        JobStore.clearCancel(c, id);
                        if (r.state == JobState.CANCELLED) {
                            // the runner saw the request at its next step or heartbeat and ended the job itself
                            return r.info();
                        }
                        throw new MamoriException(PlatformErrors.JOB_FINISHED, "Job " + r.id + " is already " + r.state + ".");
                    }
                    runner.cancelled(c, r);
                    return r.info();
                });
            } catch (JobTx.SqlFailure e) {
                // the runner holds the row for the step in flight: wait for it
                if (Transactions.isLockTimeout(e.getCause()) && System.nanoTime() < deadline) {
                    JobTx.sleep(100);
                    continue;
                }
                throw e.toMamori("cancel job");
            }
        }
    }

    /** @return whether a tenant's account (a user or a plugin) submitted the job */
    static boolean submittedByTenant(String requestedBy) {
        return requestedBy != null && (requestedBy.startsWith("user:") || requestedBy.startsWith("plugin:"));
    }

    @Override
    public List<JobArtifact> artifacts(String id) {
        JobArtifactStore store = artifactStore;
        Optional<JobStore.Row> job = findRow(id);
        if (store == null || job.isEmpty() || job.get().tenantId == null) {
            return List.of();
        }
        return store.list(id, job.get().tenantId);
    }

    @Override
    public Optional<JobArtifactStore.Content> artifact(String id, String name) {
        Optional<JobStore.Row> job = artifactJob(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        // only the job's tenant's row: an artifact another tenant wrote under this job's id is not this job's
        Optional<JobArtifactStore.Content> content = store(job.get()).read(id, job.get().tenantId, name)
                .filter(a -> job.get().tenantId.equals(a.artifact().tenantId()));
        content.ifPresent(a -> artifactRead(job.get(), a.artifact()));
        return content;
    }

    @Override
    public Optional<JobArtifactStore.Download> download(String id, String name) {
        Optional<JobStore.Row> job = artifactJob(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        Optional<JobArtifactStore.Download> download = store(job.get()).open(id, job.get().tenantId, name)
                .filter(a -> job.get().tenantId.equals(a.artifact().tenantId()));
        // recorded before the first byte leaves
        download.ifPresent(a -> artifactRead(job.get(), a.artifact()));
        return download;
    }

    /**
     * The job, if the caller may read its artifacts: those of a type that holds tenant data only for
     * the tenant's own accounts with the type's role now (not when they submitted it); those of a type
     * no running handler declares only for the tenant's own accounts (fail closed).
     */
    private Optional<JobStore.Row> artifactJob(String id) {
        Optional<JobStore.Row> job = findRow(id);
        if (job.isEmpty() || job.get().tenantId == null) {
            return Optional.empty();
        }
        JobHandlers.Handler h = handlers.get(job.get().type);
        Optional<dev.mamori.platform.context.Principal> own = ExecutionContext.current()
                .filter(c -> c.tenantId().map(job.get().tenantId::equals).orElse(false)).flatMap(ExecutionContext::principal)
                .filter(p -> (p.kind() == PrincipalKind.USER || p.kind() == PrincipalKind.PLUGIN)
                        && p.tenantId().map(job.get().tenantId::equals).orElse(false));
        if (h == null) {
            return own.isPresent() ? job : Optional.empty();
        }
        Optional<String> role = h.type().artifactRole();
        if (role.isEmpty()) {
            return job;
        }
        return own.filter(p -> p.hasRole(role.get())).isPresent() ? job : Optional.empty();
    }

    private JobArtifactStore store(JobStore.Row job) {
        JobArtifactStore store = artifactStore;
        if (store == null) {
            throw new MamoriException(PlatformErrors.ARTIFACT_STORE_UNAVAILABLE, "No artifact store is running; try again shortly.",
                    null, Duration.ofSeconds(30));
        }
        return store;
    }

    private void artifactRead(JobStore.Row job, JobArtifact a) {
        events.publish(MamoriEvent.builder(PlatformEvents.JOB_ARTIFACT_READ).tenant(job.tenantId).target("job", job.id)
                .detail("jobType", job.type).detail("name", a.name()).detail("size", a.size()).detail("sha256", a.sha256()));
    }

    @Override
    public <P> P parameters(JobInfo job, JobType<P, ?> type) {
        if (!job.type().equals(type.name())) {
            throw new IllegalArgumentException("Job " + job.id() + " is a " + job.type() + ", not a " + type.name() + ".");
        }
        try {
            return JobCodec.read(job.parameters(), type.parameters());
        } catch (JobCodec.CodecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String requester() {
        return ExecutionContext.current().flatMap(ExecutionContext::principal)
                .map(p -> p.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.id()).orElse("anonymous");
    }

    @Override
    public void wake(JobType<?, ?> type) {
        try {
            if (store.wake(type.name(), clock.millis()) > 0) {
                poller.nudge();
            }
        } catch (SQLException e) {
            LOG.warn("Could not wake {} jobs: {}", type, e.toString());
        }
    }

    /** One poll, now (tests). */
    public void poll() {
        poller.poll();
    }

    /** @return how often a step waited for a job row another transaction held, and tried again */
    public long lockRetries() {
        return runner.lockRetries();
    }

    /** @return this node's name (for tests and the shell) */
    String node() {
        return poller.node();
    }
}
