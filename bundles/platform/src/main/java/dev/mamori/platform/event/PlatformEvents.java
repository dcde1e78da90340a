package dev.mamori.platform.event;

/** Event types the platform itself publishes. */
public final class PlatformEvents {
    /** The platform reached a tenant's data on a named {@link dev.mamori.platform.context.PlatformPurpose}. */
    public static final String PLATFORM_ACCESS = "platform.tenant-access";
    /** A job was submitted (target: job id; details: jobType). */
    public static final String JOB_SUBMITTED = "platform.job.submitted";
    /** A job finished (outcome SUCCESS), failed (FAILURE) or was cancelled (details: state). */
    public static final String JOB_ENDED = "platform.job.ended";
    /** A job was cancelled by someone. */
    public static final String JOB_CANCELLED = "platform.job.cancelled";

    /**
     * A unit of work committed its main store (with the events named in details {@code events}) but
     * the PII store refused its commit: that part of the action did not happen (details: unit,
     * stores, events; outcome FAILURE).
     */
    public static final String UNIT_INCOMPLETE = "platform.unit.incomplete";

    private PlatformEvents() {
    }
}
