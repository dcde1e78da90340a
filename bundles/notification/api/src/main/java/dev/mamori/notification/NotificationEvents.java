package dev.mamori.notification;

import dev.mamori.platform.event.EventType;

/**
 * The notification capability's audit events: ids, templates, channels, counts and the SHA-256 of
 * what was sent, never addresses or names (the text itself is kept with the notification).
 */
public final class NotificationEvents {
    /** A notification was queued. */
    public static final EventType QUEUED = EventType.of("notification.queued", "template", "audience", "channels", "incident");
    /** A message was delivered to one recipient: the evidence that a notice went out (who, which tenant, when, which text). */
    public static final EventType SENT = EventType.of("notification.sent", "template", "channel", "recipient", "attempt",
            "textSha256", "messageId", "incident", "notification");
    /** A delivery was given up. */
    public static final EventType FAILED = EventType.of("notification.failed", "template", "channel", "recipient", "attempts",
            "reason", "incident", "notification");
    /** An incident was opened. */
    public static final EventType INCIDENT_OPENED = EventType.of("incident.opened", "status", "tenants", "allTenants", "discoveredAt");
    /** An incident changed. */
    public static final EventType INCIDENT_UPDATED = EventType.of("incident.updated", "status", "version");
    /** A notice or progress update of an incident was queued for its tenants. */
    public static final EventType INCIDENT_NOTIFIED = EventType.of("incident.notified", "kind", "tenants", "textSha256");
    /** An incident's clock is near its deadline or past it: operators were alerted. */
    public static final EventType CLOCK_ALERT = EventType.of("incident.clock.alerted", "clock", "dueAt", "threshold");
    /** An announcement was written (scheduled or due now). */
    public static final EventType ANNOUNCEMENT_PUBLISHED = EventType.of("notification.announcement.published", "kind", "sendAt",
            "allTenants", "tenants", "plans");
    /** An announcement went out: to how many tenants, with the SHA-256 of its text. */
    public static final EventType ANNOUNCEMENT_SENT = EventType.of("notification.announcement.sent", "kind", "tenants", "textSha256",
            "lateNotice");
    /** An announcement was cancelled before it went out. */
    public static final EventType ANNOUNCEMENT_CANCELLED = EventType.of("notification.announcement.cancelled", "kind");
    /** Announcements were read (AUD-1). */
    public static final EventType ANNOUNCEMENTS_READ = EventType.read("notification.announcement.read", "count");
    /** An incident's evidence pack for a tenant was made (AUD-1). */
    public static final EventType EVIDENCE_READ = EventType.read("incident.evidence.read", "incident");
    /** A user marked a notice read. */
    public static final EventType NOTICE_MARKED = EventType.of("notification.notice.marked", "template");
    /** A user's notices were read (AUD-1). */
    public static final EventType NOTICES_READ = EventType.read("notification.notice.read", "count");
    /** The delivery log was read (AUD-1: it names accounts). */
    public static final EventType DELIVERIES_READ = EventType.read("notification.delivery.read", "count");

    private NotificationEvents() {
    }
}
