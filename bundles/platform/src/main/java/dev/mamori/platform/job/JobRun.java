package dev.mamori.platform.job;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The job as its handler sees it during a step. The step runs in an execution context with the
 * job's tenant and its submitter's principal bound (channel JOB, request id = job id): what the
 * submitter could not do, the job cannot do either.
 *
 * @param <P> parameters
 * @param <C> cursor
 */
@ProviderType
public interface JobRun<P, C> {
    /** @return the job id */
    String id();

    /** @return the job type's name */
    String type();

    /** @return the tenant the job works for, if any */
    Optional<String> tenantId();

    /** @return the parameters it was submitted with */
    P parameters();

    /** @return where the last step ended (its checkpoint), empty before the first step */
    Optional<C> cursor();

    /** @return work done so far */
    long done();

    /** @return total work, if the handler has said */
    Optional<Long> total();

    /**
     * @return whether a cancel was asked for while this step runs: a long step checks it between
     *         batches and returns early (the job then ends CANCELLED before another step)
     */
    boolean cancelRequested();

    /**
     * Inside a long step: records progress so far (visible to job lists at once) and renews the
     * node's lease on the job, so that no other node takes it over while the step runs.
     *
     * @param doneSoFar work done in this step so far (replaced at the step's end by its own figure)
     * @param detail    short progress note, or null
     * @throws JobCancelledException if a cancel came meanwhile: the step stops there (work it
     *                               committed stays; the job ends CANCELLED)
     */
    void heartbeat(long doneSoFar, String detail);

    /**
     * Stores a file the job produced (an export), encrypted by the vault under the job's tenant's
     * key, for whoever may see the job to download, with its SHA-256, until it expires. Writing the
     * same name again replaces it (steps are retried).
     *
     * @param name      file name: 1-100 letters, digits and {@code ._-}
     * @param mediaType e.g. {@code text/csv}
     * @param content   the bytes
     * @return what was stored
     * @throws dev.mamori.platform.error.MamoriException {@code unavailable} (the job waits and
     *         retries) while no artifact store runs; {@code invalid} for a job without a tenant,
     *         a bad name or content above the store's limit
     */
    JobArtifact writeArtifact(String name, String mediaType, byte[] content);

    /**
     * Stores a file the job produced as a stream, in constant memory: what {@link #writeArtifact(String,
     * String, byte[])} does, for exports of any size. If the writer fails, nothing is stored (an
     * earlier artifact of the name stays).
     *
     * @param name      file name: 1-100 letters, digits and {@code ._-}
     * @param mediaType e.g. {@code application/zip}
     * @param content   writes the bytes
     * @return what was stored
     * @since 2.1
     */
    JobArtifact writeArtifact(String name, String mediaType, ArtifactWriter content);
}
