package dev.mamori.platform.job;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable background jobs: recorded in the database, run step by step by a {@link JobHandler},
 * checkpointed after every step, resumed after a restart or failure, cancellable, with progress
 * visible; one runner per job across every node sharing the database (a lease on the job's row).
 */
@ProviderType
public interface JobService {

    /**
     * Submits a job, or returns the open job with the same type and key; a FAILED one resumes from
     * its checkpoint.
     *
     * @param request what to run
     * @return the job
     */
    JobInfo submit(JobRequest request);

    /** @param id job id @return the job, if it exists */
    Optional<JobInfo> find(String id);

    /**
     * @param type job type
     * @param key  job key
     * @return the open (QUEUED, RUNNING, WAITING, FAILED) job with that type and key
     */
    Optional<JobInfo> findOpen(String type, String key);

    /**
     * @param type  only jobs of this type, or null for all
     * @param limit at most this many
     * @return jobs, newest first
     */
    List<JobInfo> list(String type, int limit);

    /**
     * Cancels an open job. A step in flight finishes first (the call waits for it); no further
     * step runs.
     *
     * @param id job id
     * @return the job, CANCELLED
     * @throws dev.mamori.platform.error.MamoriException {@code no-such-job}, or {@code job-finished}
     *         if it is DONE or CANCELLED
     */
    JobInfo cancel(String id);

    /**
     * Makes the WAITING jobs of a type due now (what they waited for may have come).
     *
     * @param type job type
     */
    void wake(String type);
}
