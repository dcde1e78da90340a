package dev.mamori.records;

import java.time.Instant;

/**
 * An export started: it runs as the job {@code jobId}; when it is done, the job's artifact
 * {@code artifact} is the file ({@code GET /api/v1/jobs/{id}/artifacts/{artifact}}).
 *
 * @param jobId        the job
 * @param artifact     the artifact's name ({@link ExportService#ZIP} or {@link ExportService#ENCRYPTED_ZIP})
 * @param encrypted    whether a passphrase encrypts it
 * @param personalData whether it holds the users' personal data (a tenant admin's export does)
 * @param createdAt    when it was started
 * @since 1.1
 */
public record RecordExport(String jobId, String artifact, boolean encrypted, boolean personalData, Instant createdAt) {
}
