package dev.mamori.tenant;

import dev.mamori.platform.event.EventType;

/**
 * Event types the tenant capability publishes (through
 * {@link dev.mamori.platform.event.EventPublisher}, inside the transaction of the change), with the
 * detail keys each declares. Target: {@code tenant} and the tenant id.
 */
public final class TenantEvents {
    /** A tenant was created. */
    public static final EventType CREATED = EventType.of("tenant.created", "state", "plan", "region");
    /** A tenant moved through its lifecycle. */
    public static final EventType STATE_CHANGED = EventType.of("tenant.state-changed", "from", "to");
    /** A contract termination was recorded. */
    public static final EventType TERMINATED = EventType.of("tenant.terminated", "terminationDate", "from", "to");

    private TenantEvents() {
    }
}
