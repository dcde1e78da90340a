package dev.mamori.retention;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** The retention capability's error codes. */
public final class RetentionErrors {
    /** A hold request that is not valid. */
    public static final ErrorCode INVALID_HOLD = ErrorCode.of("invalid-hold", ErrorKind.INVALID, "Invalid legal hold");
    /** No such hold (or another tenant's). */
    public static final ErrorCode NO_SUCH_HOLD = ErrorCode.of("no-such-hold", ErrorKind.NOT_FOUND, "No such legal hold");
    /** The hold was released already. */
    public static final ErrorCode HOLD_RELEASED = ErrorCode.of("hold-released", ErrorKind.CONFLICT, "Legal hold already released");
    /** A plan request that is not valid. */
    public static final ErrorCode INVALID_PLAN = ErrorCode.of("invalid-retention-plan", ErrorKind.INVALID, "Invalid retention plan");
    /** Not for this account. */
    public static final ErrorCode FORBIDDEN = ErrorCode.of("retention-forbidden", ErrorKind.FORBIDDEN, "Not allowed");
    /** The retention store cannot be reached. */
    public static final ErrorCode UNAVAILABLE = ErrorCode.of("retention-unavailable", ErrorKind.UNAVAILABLE, "Retention unavailable");

    private RetentionErrors() {
    }
}
