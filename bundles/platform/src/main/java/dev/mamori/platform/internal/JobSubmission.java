package dev.mamori.platform.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobState;

/**
 * Records submitted jobs (in the caller's unit of work) and publishes the job events; used by the
 * facade and by the schedules, and by nothing else, so neither depends on the other.
 */
final class JobSubmission {
    /** Longest parameters, as JSON. */
    static final int MAX_PARAMETERS = 4000;

    private final JobStore store;
    private final EventPublisher events;
    private final Supplier<Clock> clock;
    private final Runnable nudge;

    JobSubmission(JobStore store, EventPublisher events, Supplier<Clock> clock, Runnable nudge) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.nudge = nudge;
    }

    <P> JobInfo submit(JobRequest<P> request) {
        JobScope scope = JobScope.ofCaller();
        String tenantId = scope.tenantFor(request.tenantId().orElse(null));
        String parameters;
        try {
            parameters = JobCodec.write(request.parameters());
        } catch (JobCodec.CodecException e) {
            throw new MamoriException(PlatformErrors.INVALID, "The job's parameters cannot be stored: " + e.getMessage());
        }
        if (parameters.length() > MAX_PARAMETERS) {
            throw new MamoriException(PlatformErrors.INVALID, "A job's parameters are at most " + MAX_PARAMETERS
                    + " characters of JSON; store larger input elsewhere and pass its reference.");
        }
        String submitter = ExecutionContext.current().flatMap(ExecutionContext::principal)
                .map(p -> JobCodec.write(JobCodec.Submitter.of(p))).orElse(null);
        String requestedBy = ExecutionContext.current().flatMap(ExecutionContext::principal)
                .map(p -> p.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.id()).orElse("anonymous");
        String type = request.type().name();
        if (request.key().isPresent()) {
            try {
                // without waiting for the row (a step may hold it): another tenant's key is refused at once
                if (store.findOpen(type, request.key().get()).filter(r -> !scope.sees(r.tenantId)).isPresent()) {
                    throw new MamoriException(PlatformErrors.FORBIDDEN, "A job with this key belongs to someone else.");
                }
            } catch (java.sql.SQLException e) {
                throw new JobTx.SqlFailure(e).toMamori("submit job");
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                JobInfo job = JobTx.inUnit(store, c -> {
                    long now = clock.get().millis();
                    if (request.key().isPresent()) {
                        Optional<JobStore.Row> open = JobStore.loadOpen(c, type, request.key().get(), true);
                        if (open.isPresent()) {
                            JobStore.Row r = open.get();
                            if (!scope.sees(r.tenantId)) {
                                // another tenant's key: never reveal or resume its job
                                throw new MamoriException(PlatformErrors.FORBIDDEN, "A job with this key belongs to someone else.");
                            }
                            if (r.state == JobState.FAILED) {
                                r.state = JobState.QUEUED;
                                r.detail = "resumed from its last checkpoint";
                                r.nextRunAt = now;
                                r.owner = null;
                                r.leaseUntil = null;
                                r.updatedAt = now;
                                JobStore.update(c, r);
                                publish(PlatformEvents.JOB_SUBMITTED, r, MamoriEvent.Outcome.SUCCESS);
                            }
                            return r.info();
                        }
                    }
                    JobStore.Row r = new JobStore.Row(UUID.randomUUID().toString(), type, request.key().orElse(null), tenantId,
                            parameters, requestedBy, now);
                    r.parametersType = request.parameters().getClass().getName();
                    r.submitter = submitter;
                    r.state = JobState.QUEUED;
                    r.detail = "queued";
                    r.nextRunAt = now;
                    r.updatedAt = now;
                    JobStore.insert(c, r);
                    publish(PlatformEvents.JOB_SUBMITTED, r, MamoriEvent.Outcome.SUCCESS);
                    return r.info();
                });
                if (UnitEngine.active()) {
                    // the job is there for the runners once the caller's unit committed
                    UnitEngine.afterCommit(nudge);
                } else {
                    nudge.run();
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

    private void publish(EventType type, JobStore.Row r, MamoriEvent.Outcome outcome) {
        publish(events, type, r, outcome);
    }

    /** A job event: its tenant, the job as target, its type, state and progress. */
    static void publish(EventPublisher events, EventType type, JobStore.Row r, MamoriEvent.Outcome outcome) {
        events.publish(MamoriEvent.builder(type).tenant(r.tenantId).target("job", r.id).outcome(outcome)
                .detail("jobType", r.type).detail("state", r.state.name()).detail("done", r.done));
    }
}
