package dev.mamori.vault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A background re-encryption of one tenant's data of one purpose under the current data key
 * version; when every component holding such data has finished, the older versions are archived
 * (kept only for restoring older backups, destroyed when those have expired). Progress is checkpointed per component, so a restart resumes the job.
 *
 * @param id              job id
 * @param tenantId        tenant
 * @param purpose         purpose
 * @param targetVersion   data key version current when the job started; older versions are retired
 * @param state           state
 * @param reEncrypted     blobs re-encrypted so far
 * @param participants    components taking part
 * @param retiredVersions versions archived at the end (empty until DONE)
 * @param startedAt       start
 * @param finishedAt      end, or null
 * @param detail          what it waits for, or why it failed
 */
public record ReEncryptionJob(String id, String tenantId, KeyPurpose purpose, int targetVersion, State state,
        long reEncrypted, List<String> participants, List<Integer> retiredVersions, Instant startedAt,
        Instant finishedAt, String detail) {

    /** Job states. */
    public enum State {
        /** Working, or waiting for a component to come back. */
        RUNNING,
        /** All data re-encrypted, old versions destroyed. */
        DONE,
        /** Stopped on an error; starting the same re-encryption again resumes it. */
        FAILED,
        /** Cancelled by an operator, or superseded by a newer rotation; nothing was archived. */
        CANCELLED
    }

    /** Validates and copies. */
    public ReEncryptionJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(state, "state");
        participants = List.copyOf(participants);
        retiredVersions = List.copyOf(retiredVersions);
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
