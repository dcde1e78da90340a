package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
    private final Map<String, JobServiceImpl.Handler> handlers;
    private final EventPublisher events;
    private final Supplier<Clock> clock;
    private final BooleanSupplier stopped;
    private final AtomicLong lockRetries;

    JobRunner(JobStore store, JobServiceImpl.Settings settings, Map<String, JobServiceImpl.Handler> handlers, EventPublisher events,
            Supplier<Clock> clock, BooleanSupplier stopped, AtomicLong lockRetries) {
        this.store = store;
        this.settings = settings;
        this.handlers = handlers;
        this.events = events;
        this.clock = clock;
        this.stopped = stopped;
        this.lockRetries = lockRetries;
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
                JobServiceImpl.Handler h = handlers.get(r.type);
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
    private boolean step(Connection c, JobStore.Row r, JobServiceImpl.Handler h) throws SQLException {
        JobStep step;
        try {
            step = stepContext(r).call(() -> h.handler().step(r));
            if (step == null) {
                throw new IllegalStateException("The job handler returned no step.");
            }
        } catch (RuntimeException e) {
            failed(c, r, e);
            return false;
        }
        long now = clock.get().millis();
        r.done += step.doneIncrement();
        step.total().ifPresent(t -> r.total = t);
        step.detail().ifPresent(d -> r.detail = d);
        r.updatedAt = now;
        switch (step.kind()) {
            case PROGRESS:
                r.cursor = step.cursor().orElse(null);
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

    private ExecutionContext stepContext(JobStore.Row r) {
        return ExecutionContext.builder(Channel.JOB).principal(Principal.system("job:" + r.type)).requestId(r.id).build();
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

    void publish(dev.mamori.platform.event.EventType type, JobStore.Row r, MamoriEvent.Outcome outcome) {
        events.publish(MamoriEvent.builder(type).tenant(r.tenantId).target("job", r.id).outcome(outcome)
                .detail("jobType", r.type).detail("state", r.state.name()).detail("done", r.done));
    }
}
