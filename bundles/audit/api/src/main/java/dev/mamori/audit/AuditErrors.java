package dev.mamori.audit;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** The audit capability's error codes. */
public final class AuditErrors {
    /** The audit store cannot be written or read now: the action is refused (AUD-3, fail closed). */
    public static final ErrorCode STORE_UNAVAILABLE = ErrorCode.of("audit-store-unavailable", ErrorKind.UNAVAILABLE,
            "Audit log unavailable");
    /** No such log for this caller (another tenant's log is answered the same way). */
    public static final ErrorCode NO_SUCH_LOG = ErrorCode.of("audit-log-not-found", ErrorKind.NOT_FOUND, "No such audit log");
    /** An operator reading a tenant's log gave no reason. */
    public static final ErrorCode REASON_REQUIRED = ErrorCode.of("audit-reason-required", ErrorKind.INVALID, "Reason required");
    /** A proof or search asked for something the log does not hold (index beyond its size...). */
    public static final ErrorCode OUT_OF_RANGE = ErrorCode.of("audit-out-of-range", ErrorKind.INVALID, "Out of range");

    private AuditErrors() {
    }
}
