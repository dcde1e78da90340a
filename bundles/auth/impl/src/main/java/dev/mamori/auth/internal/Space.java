package dev.mamori.auth.internal;

import java.util.function.Function;
import java.util.function.Supplier;

import javax.persistence.EntityManager;

import dev.mamori.auth.internal.store.AccountEntity;
import dev.mamori.auth.internal.store.PlatformAccountEntity;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;

/**
 * Where an account lives: one tenant's users, or the platform's operators and support
 * ({@link #PLATFORM}, no tenant). Sign-in, lockout, second factor and passwords work the same in
 * both; only the table, the transaction and the vault key owner differ.
 *
 * @param tenantId the tenant, or null for the platform
 */
record Space(String tenantId) {
    /** Operators and support. */
    static final Space PLATFORM = new Space(null);
    /**
     * The vault key owner of platform accounts' secrets. Tenant ids are UUIDs, so no tenant can
     * ever own (or reach) these keys.
     */
    static final String PLATFORM_KEY_OWNER = "platform";

    static Space of(String tenantId) {
        return tenantId == null ? PLATFORM : new Space(tenantId);
    }

    /**
     * The tenant as named at sign-in or password reset, in the form the tenant bundle stores: slugs
     * are created only as {@code [a-z0-9-]} and ids are lower-case UUIDs, so {@code ACME} is
     * {@code acme}, like login names. Only A-Z are folded: a locale's or Unicode's case rules
     * (the Kelvin sign lower-cases to {@code k}) must not make another spelling reach a tenant.
     *
     * @param idOrSlug what the caller typed (not null)
     * @return the name to look up
     */
    static String tenantName(String idOrSlug) {
        char[] c = idOrSlug.strip().toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }

    boolean platform() {
        return tenantId == null;
    }

    /** @return the JPQL entity name of the accounts */
    String entity() {
        return platform() ? "AuthPlatformAccount" : "AuthUser";
    }

    /** @return the entity class of the accounts */
    Class<? extends AccountEntity> type() {
        return platform() ? PlatformAccountEntity.class : UserEntity.class;
    }

    /** Runs in one transaction on the space's accounts (the tenant must be bound for a tenant space). */
    <T> T tx(AuthStore store, Function<EntityManager, T> work) {
        return platform() ? store.global(work) : store.tenant(work);
    }

    /** Like {@link #tx}, committed at once whatever unit of work is active (counters, reservations). */
    <T> T txNow(AuthStore store, Function<EntityManager, T> work) {
        return platform() ? store.globalNow(work) : store.tenantNow(work);
    }

    /** @return who owns the vault keys of the space's secrets */
    String keyOwner() {
        return platform() ? PLATFORM_KEY_OWNER : tenantId;
    }

    /** Runs vault work for the space: for the platform, with its key owner bound as the tenant. */
    <T> T withKeys(Supplier<T> work) {
        if (!platform()) {
            return work.get();
        }
        ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.builder(Channel.INTERNAL).build());
        return base.withTenant(PLATFORM_KEY_OWNER).call(work);
    }
}
