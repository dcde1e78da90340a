package dev.mamori.platform.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
     * Stores (or replaces) an artifact written as a stream. A store that keeps artifacts whole buffers
     * it (and applies its size limit); the platform's store streams it in constant memory.
     *
     * @param jobId     the job
     * @param tenantId  its tenant
     * @param name      file name
     * @param mediaType media type
     * @param content   writes the bytes
     * @return what was stored
     * @throws UncheckedIOException if the writer fails: nothing is stored
     * @since 2.1
     */
    default JobArtifact write(String jobId, String tenantId, String name, String mediaType, ArtifactWriter content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            content.writeTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(jobId, tenantId, name, mediaType, buffer.toByteArray());
    }

    /**
     * @param jobId    a job
     * @param tenantId the job's tenant
     * @param name     an artifact's name
     * @return its description and a writer of its decrypted content, checked against its SHA-256 as it
     *         streams (a mismatch fails the write), if it exists and has not expired
     * @since 2.1
     */
    default Optional<Download> open(String jobId, String tenantId, String name) {
        return read(jobId, tenantId, name).map(c -> new Download(c.artifact(), out -> out.write(c.bytes())));
    }

    /**
     * An artifact ready to stream.
     *
     * @param artifact description
     * @param content  writes the content
     * @since 2.1
     */
    record Download(JobArtifact artifact, ArtifactWriter content) {
    }

    /**
     * An artifact with its content.
     *
     * @param artifact description
     * @param bytes    content
     */
    record Content(JobArtifact artifact, byte[] bytes) {
    }
}
