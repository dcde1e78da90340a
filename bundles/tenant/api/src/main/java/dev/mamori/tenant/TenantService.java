package dev.mamori.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates tenants and moves them through their lifecycle (TEN-2..TEN-5). Every transition is
 * checked against {@link TenantState#canMoveTo} and published as a {@link TenantEvents} event inside
 * its transaction: a required listener's failure (the audit trail) undoes it.
 *
 * <p>Visibility follows the {@link dev.mamori.platform.context.ExecutionContext}: operators,
 * support and the platform itself see every tenant; anyone else (tenant users, plugins, and code
 * running with no context at all) sees no DELETED or PURGED tenant, as if it did not exist, and a
 * user or tenant plugin sees only its own tenant.
 */
@ProviderType
public interface TenantService {

    /**
     * @param tenant what to create
     * @return the created tenant, in TRIAL or ACTIVE
     * @throws InvalidTenantDataException if a field is invalid
     * @throws DuplicateTenantException   if the slug is taken
     */
    Tenant create(NewTenant tenant);

    /**
     * @param idOrSlug a tenant id or slug
     * @return the tenant, in whatever state
     */
    Optional<Tenant> find(String idOrSlug);

    /**
     * @param idOrSlug a tenant id or slug
     * @return the tenant
     * @throws TenantNotFoundException if there is none
     */
    default Tenant get(String idOrSlug) {
        return find(idOrSlug).orElseThrow(() -> new TenantNotFoundException("No tenant '" + idOrSlug + "'."));
    }

    /** @return every tenant, ordered by slug */
    List<Tenant> list();

    /**
     * TRIAL → ACTIVE (conversion to a paid plan) or EXPIRED → ACTIVE (renewal).
     *
     * @param idOrSlug      tenant
     * @param plan          plan of the contract
     * @param contractStart first contract day; today (configured zone) when null
     * @param contractEnd   last contract day, or null for open-ended
     * @return the tenant after the change
     * @throws IllegalTransitionException if the tenant is not TRIAL or EXPIRED
     */
    Tenant activate(String idOrSlug, String plan, LocalDate contractStart, LocalDate contractEnd);

    /**
     * TRIAL or ACTIVE → EXPIRED: users lose access, data is kept (TEN-2, TEN-3).
     *
     * @param idOrSlug tenant
     * @return the tenant after the change
     */
    Tenant expire(String idOrSlug);

    /**
     * As {@link #expire(String)}, only if the tenant has not changed since {@code seen} (its
     * {@link Tenant#updatedAt()}): a job acting on what it read never acts on a tenant changed
     * meanwhile. The implementation checks it on the locked row; this default only before.
     *
     * @param idOrSlug tenant
     * @param seen     the updatedAt the caller read
     * @return the tenant after the change
     * @throws IllegalTransitionException if it changed since, or cannot expire
     */
    default Tenant expire(String idOrSlug, Instant seen) {
        unchanged(idOrSlug, seen);
        return expire(idOrSlug);
    }

    /**
     * As {@link #delete(String, String)}, only if the tenant has not changed since {@code seen}: the
     * retention calendar never deletes a tenant renewed after it looked.
     *
     * @param idOrSlug     tenant
     * @param confirmation the tenant's slug
     * @param seen         the updatedAt the caller read
     * @return the tenant after the change
     * @throws IllegalTransitionException if it changed since, or cannot be deleted
     */
    default Tenant delete(String idOrSlug, String confirmation, Instant seen) {
        unchanged(idOrSlug, seen);
        return delete(idOrSlug, confirmation);
    }

    private void unchanged(String idOrSlug, Instant seen) {
        if (!get(idOrSlug).updatedAt().equals(seen)) {
            throw new IllegalTransitionException("Tenant '" + idOrSlug + "' changed since it was read; nothing done.");
        }
    }

    /**
     * TRIAL, ACTIVE or EXPIRED → DELETED: the tenant vanishes from every user view at once and is
     * purged later (TEN-4). Irreversible, so the caller must repeat the tenant's slug; a tenant
     * addressed by id is confirmed by its slug too.
     *
     * @param idOrSlug     tenant
     * @param confirmation the tenant's slug, repeated (exact match)
     * @return the tenant after the change
     * @throws InvalidTenantDataException if the confirmation is not the tenant's slug; nothing is
     *                                    deleted then
     * @throws TenantNotFoundException    if there is no such tenant
     * @throws IllegalTransitionException if the tenant is already DELETED or PURGED
     */
    Tenant delete(String idOrSlug, String confirmation);

    /**
     * Records a contract termination (TEN-5) with its date. The tenant moves to EXPIRED if it
     * still had access; deletion follows by the end of the next month (retention).
     *
     * @param idOrSlug        tenant
     * @param terminationDate the date the contract ends
     * @return the tenant after the change
     */
    Tenant terminate(String idOrSlug, LocalDate terminationDate);

    /**
     * DELETED → PURGED, once the capabilities have physically removed the tenant's data.
     *
     * @param idOrSlug tenant
     * @return the tenant after the change
     */
    Tenant markPurged(String idOrSlug);
}
