package dev.mamori.tenant;

/**
 * Event types the tenant capability publishes (through
 * {@link dev.mamori.platform.event.EventPublisher}, inside the transaction of the change). Target:
 * {@code tenant} and the tenant id.
 */
public final class TenantEvents {
    /** A tenant was created; details: state, plan, region. */
    public static final String CREATED = "tenant.created";
    /** A tenant moved through its lifecycle; details: from, to. */
    public static final String STATE_CHANGED = "tenant.state-changed";
    /** A contract termination was recorded; details: terminationDate, from, to. */
    public static final String TERMINATED = "tenant.terminated";

    private TenantEvents() {
    }
}
