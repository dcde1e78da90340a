package dev.mamori.tenant.spi;

import java.time.Instant;
import java.util.Objects;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantState;

/**
 * A committed lifecycle transition.
 */
public final class TenantTransition {
    private final Tenant tenant;
    private final TenantState from;
    private final Instant at;

    /**
     * @param tenant the tenant after the transition
     * @param from   the state before ({@code null} when the tenant was just created)
     * @param at     when it happened
     */
    public TenantTransition(Tenant tenant, TenantState from, Instant at) {
        this.tenant = Objects.requireNonNull(tenant);
        this.from = from;
        this.at = Objects.requireNonNull(at);
    }

    /** @return the tenant after the transition */
    public Tenant tenant() { return tenant; }
    /** @return the previous state, null on creation */
    public TenantState from() { return from; }
    /** @return the new state */
    public TenantState to() { return tenant.state(); }
    /** @return when */
    public Instant at() { return at; }

    @Override
    public String toString() {
        return tenant.slug() + ": " + from + " -> " + to() + " at " + at;
    }
}
