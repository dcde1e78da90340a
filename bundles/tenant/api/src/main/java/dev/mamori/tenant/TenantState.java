package dev.mamori.tenant;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle states of a tenant (TEN-2). The allowed transitions are the single source of truth
 * for the lifecycle; every service call that changes state goes through {@link #canMoveTo}.
 */
public enum TenantState {
    /** Trial period; users have access. */
    TRIAL,
    /** Paying customer; users have access. */
    ACTIVE,
    /** Trial ended or paid plan cancelled; data kept, users locked out (TEN-2, TEN-3). */
    EXPIRED,
    /** Deleted by its owner or an operator; invisible to users, purged within 30 days (TEN-4). */
    DELETED,
    /** Data physically removed; only the record of the tenant and its audit trail remain. */
    PURGED;

    /**
     * @param target the state to move to
     * @return whether the lifecycle allows moving from this state to {@code target}
     */
    public boolean canMoveTo(TenantState target) {
        return allowedTargets().contains(target);
    }

    /** @return the states this state may move to; empty for {@link #PURGED} */
    public Set<TenantState> allowedTargets() {
        switch (this) {
            case TRIAL:
                return EnumSet.of(ACTIVE, EXPIRED, DELETED);
            case ACTIVE:
                return EnumSet.of(EXPIRED, DELETED);
            case EXPIRED:
                return EnumSet.of(ACTIVE, DELETED);
            case DELETED:
                return EnumSet.of(PURGED);
            default:
                return EnumSet.noneOf(TenantState.class);
        }
    }

    /** @return whether the tenant's users may read or change its data in this state */
    public boolean usersHaveAccess() {
        return this == TRIAL || this == ACTIVE;
    }
}
