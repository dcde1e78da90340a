package dev.mamori.platform.job;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable background jobs: recorded in the database, run step by step by a {@link JobHandler},
 * checkpointed after every step, resumed after a restart or failure, cancellable, with progress
 * and artifacts visible; one runner per job across every node sharing the database (a lease on
 * the job's row).
 *
 * <p>Every call is scoped by the caller's execution context (fail closed): a tenant's user or
 * plugin, and any caller with a tenant bound, sees and cancels that tenant's jobs only (another
 * tenant's job is "no such job"); operators, support and the platform itself see all; a caller
 * without a principal sees none.
 */
@ProviderType
public interface JobService {

    /**
     * Submits a job, or returns the open job with the same type and key; a FAILED one resumes from
     * its checkpoint. Inside a unit of work, the job is recorded in it: it never runs if the unit
     * rolls back.
     *
     * @param request what to run
     * @param <P>     parameters
     * @return the job
     * @throws dev.mamori.platform.error.MamoriException {@code no-job-handler} (unavailable) when no
     *         handler of the type runs; {@code invalid} when the parameters are not the handler's
     *         type or do not encode within 4,000 characters; {@code forbidden} for support, for a
     *         principal half-way through signing in, for a tenant's caller submitting for another
     *         tenant or a type its handler keeps for the platform, or resuming someone else's job
     */
    <P> JobInfo submit(JobRequest<P> request);

    /** @param id job id @return the job, if it exists and the caller may see it */
    Optional<JobInfo> find(String id);

    /**
     * @param type     job type
     * @param tenantId the job's tenant, or null for a platform job (keys are per tenant)
     * @param key      job key
     * @return the open (QUEUED, RUNNING, WAITING, FAILED) job with that type, tenant and key, if the caller may see it
     */
    Optional<JobInfo> findOpen(JobType<?, ?> type, String tenantId, String key);

    /**
     * @param type     only jobs of this type, or null for all
     * @param tenantId only jobs of this tenant, or null for all the caller may see
     * @param limit    at most this many
     * @return jobs the caller may see, newest first
     */
    List<JobInfo> list(String type, String tenantId, int limit);

    /**
     * Cancels an open job. A step in flight finishes first, or stops at its next heartbeat (the
     * call waits for it); no further step runs. Operators and the platform cancel any job; a
     * tenant's users and plugins only what the tenant's own accounts submitted; support none.
     *
     * @param id job id
     * @return the job, CANCELLED
     * @throws dev.mamori.platform.error.MamoriException {@code no-such-job} (also for a job the
     *         caller may not see), {@code job-finished} if it is DONE or CANCELLED, {@code forbidden}
     *         for support or for the platform's work in a tenant's caller's hands
     */
    JobInfo cancel(String id);

    /**
     * @param id job id
     * @return the job's artifacts that have not expired (empty if the caller may not see the job)
     */
    List<JobArtifact> artifacts(String id);

    /**
     * @param id   job id
     * @param name artifact name
     * @return the artifact and its content, if the caller may see the job and it has not expired
     * @throws dev.mamori.platform.error.MamoriException {@code unavailable} while no artifact store runs
     */
    Optional<JobArtifactStore.Content> artifact(String id, String name);

    /**
     * @param id   job id
     * @param name artifact name
     * @return the artifact ready to stream in constant memory, if the caller may see the job and it has
     *         not expired; the artifacts of a job type whose artifacts hold tenant data
     *         ({@link JobType#artifactsHoldTenantData(String)}) only for the tenant's own accounts holding its role
     * @throws dev.mamori.platform.error.MamoriException {@code unavailable} while no artifact store runs
     * @since 2.1
     */
    Optional<JobArtifactStore.Download> download(String id, String name);

    /**
     * @param job  a job
     * @param type its type
     * @param <P>  parameters
     * @return its parameters, read as its type's
     * @throws IllegalArgumentException if the job is of another type or its parameters do not read as the type's
     */
    <P> P parameters(JobInfo job, JobType<P, ?> type);

    /**
     * Makes the WAITING jobs of a type due now (what they waited for may have come).
     *
     * @param type job type
     */
    void wake(JobType<?, ?> type);
}
