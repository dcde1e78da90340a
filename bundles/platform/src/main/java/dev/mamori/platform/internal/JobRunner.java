package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.platform.job.JobCancelledException;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobStep;

/**
 * Runs the steps of the jobs this node has claimed: each step while holding the job's row, its
 * outcome (checkpoint, wait, end, failure) written in the same transaction.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final JobServiceImpl.Settings settings;
    private final JobHandlers handlers;
    private final EventPublisher events;
    private final Supplier<Clock> clock;
    private final BooleanSupplier stopped;
    private final AtomicLong lockRetries;
    private final Supplier<JobArtifactStore> artifacts;
    private final Supplier<dev.mamori.platform.job.JobTenants> tenants;

    JobRunner(JobStore store, JobServiceImpl.Settings settings, JobHandlers handlers, EventPublisher events,
            Supplier<Clock> clock, BooleanSupplier stopped, AtomicLong lockRetries, Supplier<JobArtifactStore> artifacts,
            Supplier<dev.mamori.platform.job.JobTenants> tenants) {
        this.tenants = tenants;
        this.store = store;
        this.settings = settings;
        this.handlers = handlers;
        this.events = events;
        this.clock = clock;
        this.stopped = stopped;
        this.lockRetries = lockRetries;
        this.artifacts = artifacts;
    }

    /** Counts a wait for a row another transaction held. */
    void lockRetried() {
        lockRetries.incrementAndGet();
    }

    /** @return how often a step or claim waited for a job row another transaction held */
    long lockRetries() {
        return lockRetries.get();
    }

    /**
     * Runs one step of a job this node has claimed, holding the job's row.
     *
     * @return whether to go on with the next step
     */
    boolean stepOnce(String id) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                JobStore.Row r = JobStore.load(c, id, true).orElse(null);
                if (r == null || r.state != JobState.RUNNING || !settings.node().equals(r.owner)) {
                    // cancelled, or taken over after this node's lease ran out
                    c.rollback();
                    return false;
                }
                if (JobStore.cancelRequested(c, id)) {
                    // asked for while the previous step ran: no further step
                    ExecutionContext.system("jobs").run(() -> {
                        try {
                            cancelled(c, r);
                        } catch (SQLException e) {
                            throw new JobTx.SqlFailure(e);
                        }
                    });
                    c.commit();
                    return false;
                }
                JobHandlers.Handler h = handlers.get(r.type);
                if (h == null) {
                    r.owner = null;
                    r.leaseUntil = null;
                    r.detail = "waiting for a handler of type " + r.type;
                    r.updatedAt = clock.get().millis();
                    JobStore.update(c, r);
                    c.commit();
                    return false;
                }
                boolean go = step(c, r, h);
                c.commit();
                return go;
            } catch (SQLException | RuntimeException e) {
                JobTx.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            if (Transactions.isLockTimeout(e)) {
                // a cancel (or an operator's query) holds the row: try again shortly
                lockRetries.incrementAndGet();
                JobTx.sleep(100);
                return true;
            }
            throw e;
        } catch (MamoriException e) {
            if (e.errorCode().equals(PlatformErrors.EVENT_LISTENER_MISSING) || e.errorCode().equals(PlatformErrors.EVENT_DELIVERY_FAILED)) {
                // the end could not be recorded: the step's own work stands; wait and try the end again
                defer(id, "waiting to record its end: " + e.getMessage(), Duration.ofSeconds(30));
                return false;
            }
            throw e;
        }
    }

    /** Runs the handler's step on a row held locked, and writes the outcome; the caller commits. */
    private boolean step(Connection c, JobStore.Row r, JobHandlers.Handler h) throws SQLException {
        JobStep<?> step = null;
        RuntimeException thrown = null;
        JobStepRun<?, ?>[] run = new JobStepRun<?, ?>[1];
        try {
            step = stepContext(r).call(() -> inTenant(r, () -> typedStep(c, r, h, run)));
            if (step == null) {
                throw new IllegalStateException("The job handler returned no step.");
            }
        } catch (RuntimeException e) {
            thrown = e;
        }
        // a heartbeat's verdict stands whatever the handler did with its exception
        JobStepRun.Stop stop = run[0] == null ? null : run[0].stop();
        if (stop == JobStepRun.Stop.LOST) {
            LOG.warn("Job {} ({}) was taken over by another node during a step; this node writes nothing more", r.id, r.type);
            return false;
        }
        if (stop == JobStepRun.Stop.CANCELLED) {
            JobStore.Row now = JobStore.load(c, r.id, true).orElse(null);
            if (now != null && now.state.isOpen()) {
                cancelled(c, now);
            }
            return false;
        }
        if (thrown instanceof JobCodec.CodecException) {
            failed(c, r, new IllegalStateException(thrown.getMessage(), thrown));
            return false;
        }
        if (thrown != null) {
            failed(c, r, thrown);
            return false;
        }
        String cursor;
        try {
            cursor = step.cursor().map(JobCodec::write).orElse(null);
        } catch (JobCodec.CodecException e) {
            failed(c, r, new IllegalStateException(e.getMessage(), e));
            return false;
        }
        if (cursor != null && cursor.length() > JobStep.MAX_CURSOR) {
            failed(c, r, new IllegalStateException("The step's cursor is longer than " + JobStep.MAX_CURSOR + " characters of JSON."));
            return false;
        }
        long now = clock.get().millis();
        r.done += step.doneIncrement();
        step.total().ifPresent(t -> r.total = t);
        step.detail().ifPresent(d -> r.detail = d);
        r.updatedAt = now;
        switch (step.kind()) {
            case PROGRESS:
                r.cursor = cursor;
                r.leaseUntil = now + settings.lease().toMillis();
                JobStore.update(c, r);
                return true;
            case WAITING:
                r.state = JobState.WAITING;
                r.owner = null;
                r.leaseUntil = null;
                r.nextRunAt = now + step.retryIn().orElseThrow().toMillis();
                JobStore.update(c, r);
                return false;
            default:
                r.state = JobState.DONE;
                r.cursor = null;
                r.owner = null;
                r.leaseUntil = null;
                r.finishedAt = now;
                r.result = step.result().orElse(null);
                if (r.detail == null) {
                    r.detail = "done";
                }
                JobStore.update(c, r);
                publish(PlatformEvents.JOB_ENDED, r, MamoriEvent.Outcome.SUCCESS);
                return false;
        }
    }

    /** A step threw: wait and retry (unavailable, lock timeout, shutdown), or fail the job (resumable). */
    private void failed(Connection c, JobStore.Row r, RuntimeException e) throws SQLException {
        long now = clock.get().millis();
        Optional<MamoriException> typed = MamoriException.find(e);
        r.owner = null;
        r.leaseUntil = null;
        r.updatedAt = now;
        if (stopped.getAsBoolean()) {
            LOG.info("Job {} ({}) paused by shutdown: {}", r.id, r.type, e.toString());
            r.detail = "paused by shutdown";
        } else if (Transactions.isLockTimeout(e)) {
            LOG.info("Job {} ({}) waits for a database lock; retrying", r.id, r.type);
            r.nextRunAt = now + 1000;
        } else if (typed.isPresent() && typed.get().kind() == ErrorKind.UNAVAILABLE) {
            r.state = JobState.WAITING;
            r.detail = JobTx.limit(typed.get().getMessage());
            r.nextRunAt = now + typed.get().retryAfter().orElse(Duration.ofSeconds(10)).toMillis();
        } else {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("Job {} ({}) failed; submitting it again resumes from its last checkpoint: {}", r.id, r.type, why, e);
            r.state = JobState.FAILED;
            r.detail = JobTx.limit(why);
            JobStore.update(c, r);
            publish(PlatformEvents.JOB_ENDED, r, MamoriEvent.Outcome.FAILURE);
            return;
        }
        JobStore.update(c, r);
    }

    private void defer(String id, String detail, Duration delay) {
        try {
            JobTx.inTx(store, c -> {
                JobStore.Row r = JobStore.load(c, id, true).orElse(null);
                if (r != null && r.state == JobState.RUNNING && settings.node().equals(r.owner)) {
                    long now = clock.get().millis();
                    r.state = JobState.WAITING;
                    r.owner = null;
                    r.leaseUntil = null;
                    r.detail = JobTx.limit(detail);
                    r.nextRunAt = now + delay.toMillis();
                    r.updatedAt = now;
                    JobStore.update(c, r);
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Job {} could not be deferred: {}", id, e.toString());
        }
    }

    /** Decodes the parameters and cursor as the handler's declared types and runs its step. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private JobStep<?> typedStep(Connection c, JobStore.Row r, JobHandlers.Handler h, JobStepRun<?, ?>[] made) {
        Class<?> paramType = h.type().parameters();
        if (r.parametersType != null && !r.parametersType.equals(paramType.getName())) {
            throw new JobCodec.CodecException("The job was submitted with parameters of type " + r.parametersType
                    + "; its handler reads " + paramType.getName() + ".", null);
        }
        Object params = JobCodec.read(r.parameters, paramType);
        Object cursor = r.cursor == null ? null : JobCodec.read(r.cursor, h.type().cursor());
        JobStepRun run = new JobStepRun(c, r, params, cursor, clock, settings.lease(), artifacts, events);
        made[0] = run;
        return ((JobHandler) h.handler()).step(run);
    }

    /**
     * A tenant's job runs in its tenant through the tenant bundle (its state checked, a platform
     * submitter's access recorded with a purpose); none runs with its tenant bound unchecked.
     */
    private <T> T inTenant(JobStore.Row r, Supplier<T> work) {
        if (r.tenantId == null) {
            return work.get();
        }
        dev.mamori.platform.job.JobTenants directory = tenants.get();
        if (directory == null) {
            throw new MamoriException(PlatformErrors.JOB_STORE_UNAVAILABLE, "The tenant directory is not running; the tenant's job "
                    + "waits for it.", null, Duration.ofSeconds(30));
        }
        return directory.inTenant(r.tenantId, work);
    }

    /**
     * The step's context: the job's tenant and its submitter's principal (the platform's own
     * principal for a job submitted without one), so that a step can do no more than its submitter.
     */
    private static ExecutionContext stepContext(JobStore.Row r) {
        if (r.submitter == null && JobServiceImpl.submittedByTenant(r.requestedBy)) {
            // recorded before submitters were: never run a tenant's job as the platform
            throw new JobCodec.CodecException("The job was submitted before jobs recorded their submitter; submit it again.", null);
        }
        Principal p = r.submitter == null ? Principal.system("job:" + r.type) : JobCodec.read(r.submitter, JobCodec.Submitter.class).principal();
        return ExecutionContext.builder(Channel.JOB).principal(p).requestId(r.id).build();
    }

    /** Ends a job held locked as CANCELLED; the caller commits. */
    void cancelled(Connection c, JobStore.Row r) throws SQLException {
        long now = clock.get().millis();
        r.state = JobState.CANCELLED;
        r.detail = "cancelled";
        r.owner = null;
        r.leaseUntil = null;
        r.finishedAt = now;
        r.updatedAt = now;
        JobStore.update(c, r);
        JobStore.clearCancel(c, r.id);
        publish(PlatformEvents.JOB_CANCELLED, r, MamoriEvent.Outcome.SUCCESS);
    }

    private void publish(dev.mamori.platform.event.EventType type, JobStore.Row r, MamoriEvent.Outcome outcome) {
        JobSubmission.publish(events, type, r, outcome);
    }
}
