package dev.mamori.platform.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
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
    /** Longest submitter record, as JSON (the column's size). */
    static final int MAX_SUBMITTER = 2000;

    private final JobStore store;
    private final EventPublisher events;
    private final Supplier<Clock> clock;
    private final Runnable nudge;
    private final JobHandlers handlers;

    JobSubmission(JobStore store, JobHandlers handlers, EventPublisher events, Supplier<Clock> clock, Runnable nudge) {
        this.store = store;
        this.handlers = handlers;
        this.events = events;
        this.clock = clock;
        this.nudge = nudge;
    }

    <P> JobInfo submit(JobRequest<P> request) {
        JobScope scope = JobScope.ofCaller();
        Principal caller = ExecutionContext.current().flatMap(ExecutionContext::principal).orElse(null);
        if (caller != null && caller.kind() == PrincipalKind.SUPPORT) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Support reads jobs; it does not submit them.");
        }
        if (caller != null && caller.assurance() != Assurance.COMPLETE) {
            throw new MamoriException(PlatformErrors.SIGN_IN_INCOMPLETE, "Finish signing in before submitting a job.");
        }
        String type = request.type().name();
        // the registered handler's declaration counts, never the caller's copy of the type
        JobHandlers.Handler handler = handlers.get(type);
        if (handler == null) {
            throw new MamoriException(PlatformErrors.NO_JOB_HANDLER, "No handler of job type " + type + " is running; try again "
                    + "once it is.", null, java.time.Duration.ofSeconds(30));
        }
        if (!scope.all() && !handler.type().tenantsMaySubmit()) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Jobs of type " + type + " are the platform's; a tenant cannot "
                    + "submit them.");
        }
        if (handler.type().parameters() != request.parameters().getClass()) {
            throw new MamoriException(PlatformErrors.INVALID, "Job type " + type + " takes parameters of type "
                    + handler.type().parameters().getName() + ", not " + request.parameters().getClass().getName() + ".");
        }
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
        String submitter = caller == null ? null : JobCodec.write(JobCodec.Submitter.of(caller));
        if (submitter != null && submitter.length() > MAX_SUBMITTER) {
            throw new MamoriException(PlatformErrors.INVALID, "The submitting principal has too many roles to be recorded on a job.");
        }
        String requestedBy = caller == null ? "anonymous" : caller.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + caller.id();
        for (int attempt = 0; ; attempt++) {
            try {
                JobInfo job = JobTx.inUnit(store, c -> {
                    long now = clock.get().millis();
                    if (request.key().isPresent()) {
                        // keys are per tenant: another tenant's job with the same key is never found here
                        Optional<JobStore.Row> open = JobStore.loadOpen(c, type, tenantId, request.key().get(), true);
                        if (open.isPresent()) {
                            JobStore.Row r = open.get();
                            if (r.state == JobState.FAILED) {
                                if (!scope.all() && !requestedBy.equals(r.requestedBy)) {
                                    // resuming runs it as its submitter: only they, or the platform, may
                                    throw new MamoriException(PlatformErrors.FORBIDDEN, "Another account's failed job holds this key; "
                                            + "only it or an operator can resume it.");
                                }
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
