package dev.mamori.platform.error;

/** Error codes of the platform itself: execution context, events, jobs, schema, requests. */
public final class PlatformErrors {
    /** Work that needs an execution context ran without one. */
    public static final ErrorCode NO_EXECUTION_CONTEXT = ErrorCode.of("no-execution-context", ErrorKind.FORBIDDEN,
            "No execution context");
    /** No authenticated principal where one is needed. */
    public static final ErrorCode UNAUTHENTICATED = ErrorCode.of("unauthenticated", ErrorKind.UNAUTHENTICATED,
            "Authentication required");
    /** The principal lacks the role or kind the action needs. */
    public static final ErrorCode FORBIDDEN = ErrorCode.of("forbidden", ErrorKind.FORBIDDEN, "Forbidden");
    /** The principal is half-way through signing in (second factor or its enrolment due). */
    public static final ErrorCode SIGN_IN_INCOMPLETE = ErrorCode.of("sign-in-incomplete", ErrorKind.FORBIDDEN,
            "Sign-in incomplete");
    /** Platform access to a tenant's data refused for this principal. */
    public static final ErrorCode PLATFORM_ACCESS_DENIED = ErrorCode.of("platform-access-denied", ErrorKind.FORBIDDEN,
            "Platform access denied");
    /** Invalid input to a platform service. */
    public static final ErrorCode INVALID = ErrorCode.of("invalid-request", ErrorKind.INVALID, "Invalid request");
    /** A listener the configuration requires is not registered. */
    public static final ErrorCode EVENT_LISTENER_MISSING = ErrorCode.of("event-listener-missing", ErrorKind.UNAVAILABLE,
            "Required event listener missing");
    /** A required listener failed: the action that raised the event fails with it. */
    public static final ErrorCode EVENT_DELIVERY_FAILED = ErrorCode.of("event-delivery-failed", ErrorKind.UNAVAILABLE,
            "Required event listener failed");
    /** A database schema a component needs is not ready. */
    public static final ErrorCode SCHEMA_NOT_READY = ErrorCode.of("schema-not-ready", ErrorKind.UNAVAILABLE,
            "Schema not ready");
    /** A REST filter slot the configuration requires is empty. */
    public static final ErrorCode REQUIRED_SLOT_EMPTY = ErrorCode.of("required-slot-empty", ErrorKind.UNAVAILABLE,
            "Service unavailable");
    /** No job with that id. */
    public static final ErrorCode NO_SUCH_JOB = ErrorCode.of("no-such-job", ErrorKind.NOT_FOUND, "No such job");
    /** The job already ended. */
    public static final ErrorCode JOB_FINISHED = ErrorCode.of("job-finished", ErrorKind.CONFLICT, "Job finished");
    /** No handler for that job type is registered. */
    public static final ErrorCode NO_JOB_HANDLER = ErrorCode.of("no-job-handler", ErrorKind.UNAVAILABLE,
            "No handler for this job type");
    /** The job table cannot be reached. */
    public static final ErrorCode JOB_STORE_UNAVAILABLE = ErrorCode.of("job-store-unavailable", ErrorKind.UNAVAILABLE,
            "Job store unavailable");
    /** A job artifact asked for does not exist, has expired, or belongs to a job the caller may not see. */
    public static final ErrorCode NO_SUCH_ARTIFACT = ErrorCode.of("no-such-artifact", ErrorKind.NOT_FOUND, "No such artifact");
    /** No job artifact store is running (the artifacts bundle); a job that writes one waits for it. */
    public static final ErrorCode ARTIFACT_STORE_UNAVAILABLE = ErrorCode.of("artifact-store-unavailable", ErrorKind.UNAVAILABLE,
            "Artifact store unavailable");
    /** A database lock could not be had in time; retry. */
    public static final ErrorCode BUSY = ErrorCode.of("busy", ErrorKind.UNAVAILABLE, "Busy");

    /** A unit of work rolled back as a whole: part of its work failed, or its commit was refused. */
    public static final ErrorCode UNIT_ROLLED_BACK = ErrorCode.of("unit-rolled-back", ErrorKind.UNAVAILABLE,
            "Action not completed");
    /** A unit of work committed its main store (its events) but not another store: the record says so. */
    public static final ErrorCode UNIT_INCOMPLETE = ErrorCode.of("unit-incomplete", ErrorKind.UNAVAILABLE,
            "Action not completed");

    private PlatformErrors() {
    }
}
