package dev.mamori.platform.job;

import java.time.Instant;
import java.util.Objects;

/**
 * A file a job produced.
 *
 * @param jobId     the job
 * @param tenantId  the job's tenant (its vault key encrypts the content)
 * @param name      file name
 * @param mediaType media type
 * @param size      bytes of content
 * @param sha256    SHA-256 of the content, lower-case hex
 * @param createdAt stored
 * @param expiresAt removed after
 */
public record JobArtifact(String jobId, String tenantId, String name, String mediaType, long size, String sha256,
        Instant createdAt, Instant expiresAt) {
    /** Validates. */
    public JobArtifact {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
