package dev.mamori.audit;

import dev.mamori.platform.event.EventType;

/** What the audit capability itself records. */
public final class AuditEvents {
    /** An operator read a tenant's log (AUD-4): recorded in that tenant's own log, with the reason. */
    public static final EventType LOG_READ_BY_OPERATOR = EventType.read("audit.log.read", "what", "reason");
    /** A log was exported. */
    public static final EventType LOG_EXPORTED = EventType.of("audit.log.exported", "entries", "reason");
    /** A verification found damage. */
    public static final EventType LOG_DAMAGED = EventType.of("audit.log.damaged", "log", "position", "damage");
    /** Entries older than the retention were pruned (AUD-1). */
    public static final EventType LOG_PRUNED = EventType.of("audit.log.pruned", "log", "before", "entries");

    private AuditEvents() {
    }
}
