package dev.mamori.retention;

import dev.mamori.platform.event.EventType;

/** The retention capability's events (audit log). */
public final class RetentionEvents {
    /** A legal hold was placed. */
    public static final EventType HOLD_PLACED = EventType.of("retention.hold.placed", "scope", "value", "reason");
    /** A legal hold was released. */
    public static final EventType HOLD_RELEASED = EventType.of("retention.hold.released", "scope", "value", "reason");
    /** Legal holds were read (AUD-1). */
    public static final EventType HOLDS_READ = EventType.read("retention.holds.read", "count");
    /** The dry run was read. */
    public static final EventType PLAN_READ = EventType.read("retention.plan.read", "at", "actions");
    /** The calendar acted on a tenant (the tenant's own event says what changed). */
    public static final EventType CALENDAR_APPLIED = EventType.of("retention.calendar.applied", "action", "due", "rule");

    private RetentionEvents() {
    }
}
