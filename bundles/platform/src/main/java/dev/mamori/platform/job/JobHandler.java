package dev.mamori.platform.job;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Does the work of one job type, one bounded step at a time (whiteboard service). The job service
 * calls {@link #step} on one node at a time, with the cursor the previous step returned, and
 * checkpoints after each step; a restart, a crash or another node resumes from the last checkpoint.
 *
 * <p>Contract for a step: do at most one batch, in one transaction of your own, and return where
 * you are. Steps must be idempotent from their cursor (a step whose checkpoint was lost by a
 * crash runs again). While a step runs, its job's row is locked: a cancel waits for the step (or
 * for its next {@link JobRun#heartbeat}), so a cancelled job never takes another step. Throwing
 * fails the job (FAILED, resumable by submitting it again); an
 * {@link dev.mamori.platform.error.ErrorKind#UNAVAILABLE} error makes it wait and retry. Never call
 * {@link JobService#cancel} on the step's own job from inside the step.
 *
 * <p>Optional property {@value #SCHEDULE}: a cron expression (Quartz syntax: seconds minutes hours
 * day-of-month month day-of-week) in the platform clock's zone (Asia/Tokyo by default); the job
 * service then submits one run per firing, never two at once, on one node of the cluster; a
 * scheduled type's parameters are {@link JobType.None}. With {@value #SCHEDULE_SCOPE}{@code =tenant}
 * a firing submits one run per tenant (see {@link JobTenants}), each bound to its tenant.
 *
 * @param <P> parameters
 * @param <C> cursor
 */
@ConsumerType
public interface JobHandler<P, C> {
    /** Service property: a cron expression that submits a run at each firing. */
    String SCHEDULE = "mamori.job.schedule";
    /** Service property: {@code platform} (default, one run) or {@code tenant} (one run per tenant). */
    String SCHEDULE_SCOPE = "mamori.job.schedule.scope";

    /** @return the job type this handler runs (read once, when it registers) */
    JobType<P, C> type();

    /**
     * @param run the job, with its last checkpoint
     * @return what this step did
     */
    JobStep<C> step(JobRun<P, C> run);
}
