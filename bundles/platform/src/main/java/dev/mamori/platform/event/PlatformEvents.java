package dev.mamori.platform.event;

/** Event types the platform itself publishes, with the detail keys each declares. */
public final class PlatformEvents {
    /** The platform reached a tenant's data on a named {@link dev.mamori.platform.context.PlatformPurpose} (target: tenant). */
    public static final EventType PLATFORM_ACCESS = EventType.of("platform.tenant-access", "purpose", "state");
    /** A job was submitted (target: job id). */
    public static final EventType JOB_SUBMITTED = EventType.of("platform.job.submitted", "jobType", "state", "done");
    /** A job finished (outcome SUCCESS), failed (FAILURE) or was cancelled. */
    public static final EventType JOB_ENDED = EventType.of("platform.job.ended", "jobType", "state", "done");
    /** A job's step stored an artifact (target: job id). */
    public static final EventType JOB_ARTIFACT_WRITTEN = EventType.of("platform.job.artifact-written", "jobType", "name", "size",
            "sha256");
    /** Someone downloaded a job's artifact (target: job id): a read of the tenant's data. */
    public static final EventType JOB_ARTIFACT_READ = EventType.of("platform.job.artifact-read", "jobType", "name", "size", "sha256");
    /** A job was cancelled by someone. */
    public static final EventType JOB_CANCELLED = EventType.of("platform.job.cancelled", "jobType", "state", "done");

    /**
     * A unit of work committed its main store (with the events named in details {@code events}) but
     * the PII store refused its commit: that part of the action did not happen (target: unit;
     * details: stores, events; outcome FAILURE).
     */
    public static final EventType UNIT_INCOMPLETE = EventType.of("platform.unit.incomplete", "stores", "events");

    private PlatformEvents() {
    }
}
