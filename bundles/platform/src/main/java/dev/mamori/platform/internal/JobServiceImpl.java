package dev.mamori.platform.internal;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.osgi.framework.Constants;
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
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobState;

/**
 * The job service: jobs in {@code mamori_job}, run by a small pool on each node. A node takes a
 * due job by a compare-and-set on its lease, then runs it step by step; each step runs while the
 * node holds the job's row ({@code SELECT ... FOR UPDATE}), so a cancel waits for the step in
 * flight, and another node can only take the job over once the lease has expired (the node died).
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

    /** A registered handler and its properties. */
    record Handler(JobHandler handler, String type, String schedule, int ranking, long serviceId) {
    }

    private final JobStore store;
    private final EventPublisher events;
    private final Settings settings;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private final ExecutorService pool;
    private volatile boolean stopped;
    private volatile boolean started;
    private final java.util.concurrent.atomic.AtomicLong lockRetries = new java.util.concurrent.atomic.AtomicLong();
    private final JobRunner runner;
    private final JobSchedules schedules;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

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
        this.settings = settings;
        this.clock = clock;
        this.runner = new JobRunner(store, settings, handlers, events, () -> this.clock, () -> stopped, lockRetries);
        this.schedules = new JobSchedules(store, handlers, () -> this.clock, this::submit);
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("mamori-jobs-poll"));
        this.pool = Executors.newFixedThreadPool(settings.workers(), daemon("mamori-jobs"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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

    /** Starts polling (tests start it themselves, after binding handlers). */
    public void start() {
        started = true;
        poller.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops taking jobs at once, without waiting (safe from inside a step); see {@link #deactivate()}. */
    public void stop() {
        stopped = true;
        // no interrupts: an interrupted JDBC call can close the embedded database's files under it
        poller.shutdown();
        pool.shutdown();
    }

    /** Stops taking jobs; a step in flight ends, and its job is given back for any node to resume. */
    @Deactivate
    public void deactivate() {
        stop();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("A job step did not end within 30 s of shutdown; its lease expires on its own");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param handler a job handler
     * @param props   its service properties ({@value JobHandler#TYPE}, optionally {@value JobHandler#SCHEDULE},
     *                {@code service.id}, {@code service.ranking})
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "updatedHandler")
    public void bindHandler(JobHandler handler, Map<String, Object> props) {
        Object type = props.get(JobHandler.TYPE);
        if (type == null) {
            LOG.error("Job handler {} has no {} property; ignored", handler.getClass().getName(), JobHandler.TYPE);
            return;
        }
        Object schedule = props.get(JobHandler.SCHEDULE);
        Object ranking = props.get(Constants.SERVICE_RANKING);
        Handler h = new Handler(handler, type.toString(), schedule == null || schedule.toString().isBlank() ? null : schedule.toString(),
                ranking instanceof Integer ? (Integer) ranking : 0, ((Number) props.get(Constants.SERVICE_ID)).longValue());
        handlers.merge(h.type(), h, (a, b) -> b.ranking() > a.ranking() || b.ranking() == a.ranking() && b.serviceId() < a.serviceId() ? b : a);
        schedules.changed(h.type());
        nudge();
    }

    /** A handler's properties changed (a new schedule). */
    void updatedHandler(JobHandler handler, Map<String, Object> props) {
        unbindHandler(handler, props);
        bindHandler(handler, props);
    }

    /** @param handler a handler going away @param props its service properties */
    public void unbindHandler(JobHandler handler, Map<String, Object> props) {
        Object type = props.get(JobHandler.TYPE);
        if (type != null) {
            handlers.computeIfPresent(type.toString(), (k, h) -> h.handler() == handler ? null : h);
        }
    }

    @Override
    public JobInfo submit(JobRequest request) {
        String requestedBy = requester();
        for (int attempt = 0; ; attempt++) {
            try {
                JobInfo job = JobTx.inUnit(store, c -> {
                    long now = clock.millis();
                    if (request.key().isPresent()) {
                        Optional<JobStore.Row> open = JobStore.loadOpen(c, request.type(), request.key().get(), true);
                        if (open.isPresent()) {
                            JobStore.Row r = open.get();
                            if (r.state == JobState.FAILED) {
                                r.state = JobState.QUEUED;
                                r.detail = "resumed from its last checkpoint";
                                r.nextRunAt = now;
                                r.owner = null;
                                r.leaseUntil = null;
                                r.updatedAt = now;
                                JobStore.update(c, r);
                                runner.publish(PlatformEvents.JOB_SUBMITTED, r, MamoriEvent.Outcome.SUCCESS);
                            }
                            return r.info();
                        }
                    }
                    JobStore.Row r = new JobStore.Row(UUID.randomUUID().toString(), request.type(), request.key().orElse(null),
                            request.tenantId().orElse(null), request.parameters(), requestedBy, now);
                    r.state = JobState.QUEUED;
                    r.detail = "queued";
                    r.nextRunAt = now;
                    r.updatedAt = now;
                    JobStore.insert(c, r);
                    runner.publish(PlatformEvents.JOB_SUBMITTED, r, MamoriEvent.Outcome.SUCCESS);
                    return r.info();
                });
                if (UnitEngine.active()) {
                    // the job is there for the runners once the caller's unit committed
                    UnitEngine.afterCommit(this::nudge);
                } else {
                    nudge();
                }
                return job;
            } catch (JobTx.SqlFailure e) {
                // another node submitted the same key at the same moment: take theirs
                if (attempt < 3 && (JobTx.isUniqueViolation(e.getCause()) || Transactions.isLockTimeout(e.getCause()))) {
                    continue;
                }
                throw e.toMamori("submit job");
            }
        }
    }

    @Override
    public Optional<JobInfo> find(String id) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        try {
            return store.find(id).map(JobStore.Row::info);
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("read job");
        }
    }

    @Override
    public Optional<JobInfo> findOpen(String type, String key) {
        try {
            return store.findOpen(type, key).map(JobStore.Row::info);
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("read job");
        }
    }

    @Override
    public List<JobInfo> list(String type, int limit) {
        try {
            return store.list(type, Math.max(1, Math.min(limit, 1000))).stream().map(JobStore.Row::info).collect(Collectors.toList());
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("list jobs");
        }
    }

    @Override
    public JobInfo cancel(String id) {
        JobStore.Row found = (id == null || id.length() > 36 ? Optional.<JobStore.Row>empty() : findRow(id))
                .orElseThrow(() -> new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job '" + JobTx.printable(id) + "'."));
        if (!found.state.isOpen()) {
            throw new MamoriException(PlatformErrors.JOB_FINISHED, "Job " + found.id + " is already " + found.state + ".");
        }
        try {
            // first, without waiting for the row: from now on no step starts
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
                            // the runner saw the request at its next step and ended the job itself
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

    private Optional<JobStore.Row> findRow(String id) {
        try {
            return store.find(id);
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e).toMamori("read job");
        }
    }

    private static String requester() {
        return ExecutionContext.current().flatMap(ExecutionContext::principal)
                .map(p -> p.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.id()).orElse("anonymous");
    }

    @Override
    public void wake(String type) {
        try {
            if (store.wake(type, clock.millis()) > 0) {
                nudge();
            }
        } catch (SQLException e) {
            LOG.warn("Could not wake {} jobs: {}", type, e.toString());
        }
    }

    /** Looks for due work now rather than at the next poll. */
    void nudge() {
        if (started && !stopped) {
            try {
                poller.execute(this::poll);
            } catch (RejectedExecutionException shuttingDown) {
                // nothing to do
            }
        }
    }

    /** One poll, now: fire due schedules, then take due jobs this node has handlers for, while workers are free. */
    public void poll() {
        if (stopped) {
            return;
        }
        try {
            schedules.fire();
            int free = settings.workers() - running.size();
            if (free <= 0) {
                return;
            }
            long now = clock.millis();
            for (String[] due : store.due(now, free * 4 + running.size())) {
                String id = due[0];
                if (running.size() >= settings.workers() || stopped) {
                    break;
                }
                if (!handlers.containsKey(due[1]) || running.contains(id)) {
                    continue;
                }
                boolean claimed;
                try {
                    claimed = store.claim(id, settings.node(), now, now + settings.lease().toMillis());
                } catch (SQLException e) {
                    if (!Transactions.isLockTimeout(e)) {
                        throw e;
                    }
                    // someone holds the row (a cancel, an operator's query): the next poll tries again
                    lockRetries.incrementAndGet();
                    continue;
                }
                if (claimed) {
                    running.add(id);
                    try {
                        pool.execute(() -> run(id));
                    } catch (RejectedExecutionException shuttingDown) {
                        running.remove(id);
                        store.release(id, settings.node(), now);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Job poll failed (retried in {} s): {}", settings.pollInterval().toSeconds(), e.toString());
        }
    }

    private void run(String id) {
        try {
            while (!stopped && runner.stepOnce(id)) {
                // next step
            }
            if (stopped) {
                // any node resumes it at once, this one at its next start
                store.release(id, settings.node(), clock.millis());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Job {} lost its runner: {}; it is picked up again when its lease ends", id, e.toString());
        } finally {
            running.remove(id);
            nudge();
        }
    }

    /** @return how often a step waited for a job row another transaction held, and tried again */
    public long lockRetries() {
        return lockRetries.get();
    }

    /** @return this node's name (for tests and the shell) */
    String node() {
        return settings.node();
    }
}
