package dev.mamori.platform.job;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the job service records it.
 *
 * @param id          job id
 * @param type        job type
 * @param key         its key, if submitted with one
 * @param tenantId    tenant, if any
 * @param parameters  parameters, as JSON
 * @param state       state
 * @param done        work done so far
 * @param total       total work, or null if unknown
 * @param detail      what it does, waits for, or why it failed
 * @param result      result of a finished job, or null
 * @param requestedBy who submitted it ({@code kind:id}); its steps run as that principal
 * @param node        the node running it now, or null
 * @param createdAt   submitted
 * @param updatedAt   last change
 * @param finishedAt  ended, or null
 */
public record JobInfo(String id, String type, String key, String tenantId, String parameters, JobState state,
        long done, Long total, String detail, String result, String requestedBy, String node, Instant createdAt,
        Instant updatedAt, Instant finishedAt) {

    /** Validates. */
    public JobInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** @return the total, if known */
    public Optional<Long> totalWork() {
        return Optional.ofNullable(total);
    }
}
