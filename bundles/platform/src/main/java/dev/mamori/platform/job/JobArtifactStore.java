package dev.mamori.platform.job;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where job artifacts are kept (service; the {@code dev.mamori.artifacts} bundle provides it,
 * encrypted by the vault). The job service is its only caller: it checks who may see the job
 * before it reads, and hands writes from a job's step.
 */
@ConsumerType
public interface JobArtifactStore {
    /** Longest artifact name. */
    int MAX_NAME = 100;

    /**
     * Stores (or replaces) an artifact of a tenant's job; runs in the job step's tenant context.
     *
     * @param jobId     the job
     * @param tenantId  its tenant
     * @param name      file name
     * @param mediaType media type
     * @param content   bytes
     * @return what was stored
     */
    JobArtifact write(String jobId, String tenantId, String name, String mediaType, byte[] content);

    /**
     * @param jobId    a job
     * @param tenantId the job's tenant (only that tenant's rows count)
     * @return its artifacts that have not expired
     */
    List<JobArtifact> list(String jobId, String tenantId);

    /**
     * @param jobId    a job
     * @param tenantId the job's tenant (only that tenant's rows count)
     * @param name     an artifact's name
     * @return its description and decrypted content (checked against its SHA-256), if it exists and
     *         has not expired
     */
    Optional<Content> read(String jobId, String tenantId, String name);

    /**
     * An artifact with its content.
     *
     * @param artifact description
     * @param bytes    content
     */
    record Content(JobArtifact artifact, byte[] bytes) {
    }
}
