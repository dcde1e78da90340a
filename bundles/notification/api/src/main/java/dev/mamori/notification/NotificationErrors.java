package dev.mamori.notification;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** The notification capability's error codes. */
public final class NotificationErrors {
    /** A notification names an unknown template, channel or tenant, or a value breaks its rules. */
    public static final ErrorCode INVALID_NOTIFICATION = ErrorCode.of("invalid-notification", ErrorKind.INVALID, "Invalid notification");
    /** An incident's fields break the rules. */
    public static final ErrorCode INVALID_INCIDENT = ErrorCode.of("invalid-incident", ErrorKind.INVALID, "Invalid incident");
    /** No such incident. */
    public static final ErrorCode NO_SUCH_INCIDENT = ErrorCode.of("no-such-incident", ErrorKind.NOT_FOUND, "No such incident");
    /** The incident changed since the operator read it. */
    public static final ErrorCode INCIDENT_CHANGED = ErrorCode.of("incident-changed", ErrorKind.PRECONDITION_FAILED,
            "The incident changed meanwhile");
    /** A change must name the version it replaces (If-Match) and did not. */
    public static final ErrorCode INCIDENT_VERSION_REQUIRED = ErrorCode.of("incident-version-required", ErrorKind.PRECONDITION_REQUIRED,
            "If-Match required");
    /** The incident's state does not allow it (a notice for a dismissed incident, a change after it was closed). */
    public static final ErrorCode INCIDENT_CLOSED = ErrorCode.of("incident-closed", ErrorKind.CONFLICT, "Incident closed");
    /** An announcement's fields break the rules (a maintenance window with too little notice, say). */
    public static final ErrorCode INVALID_ANNOUNCEMENT = ErrorCode.of("invalid-announcement", ErrorKind.INVALID, "Invalid announcement");
    /** No such announcement. */
    public static final ErrorCode NO_SUCH_ANNOUNCEMENT = ErrorCode.of("no-such-announcement", ErrorKind.NOT_FOUND, "No such announcement");
    /** The announcement went out already. */
    public static final ErrorCode ANNOUNCEMENT_SENT = ErrorCode.of("announcement-sent", ErrorKind.CONFLICT, "Announcement sent");
    /** No such notice for this caller. */
    public static final ErrorCode NO_SUCH_NOTICE = ErrorCode.of("no-such-notice", ErrorKind.NOT_FOUND, "No such notice");
    /** The caller may not do this (incidents are for operators; notices for their own reader). */
    public static final ErrorCode FORBIDDEN = ErrorCode.of("notification-forbidden", ErrorKind.FORBIDDEN, "Not allowed");
    /** The notification store cannot be reached. */
    public static final ErrorCode UNAVAILABLE = ErrorCode.of("notification-store-unavailable", ErrorKind.UNAVAILABLE,
            "Notifications unavailable");

    private NotificationErrors() {
    }
}
