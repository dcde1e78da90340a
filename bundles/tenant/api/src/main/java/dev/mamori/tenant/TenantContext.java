package dev.mamori.tenant;

import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * "Run as tenant": the only way into tenant-scoped data (TEN-1). Work runs on the calling
 * thread with the tenant bound; tenant-scoped persistence refuses to run without it.
 *
 * <p>{@link #callAs} admits only tenants whose users have access (TRIAL, ACTIVE); an
 * EXPIRED, DELETED or PURGED tenant is refused here, centrally, so no endpoint can forget it
 * (TEN-2). Platform jobs that must reach a locked tenant's data (purge, export for the
 * customer, restore) use {@link #callAsPlatform} and say why.
 */
@ProviderType
public interface TenantContext {

    /**
     * @param idOrSlug tenant id or slug
     * @param work     what to run with the tenant bound
     * @param <T>      result type
     * @return what {@code work} returned
     * @throws TenantNotFoundException      if the tenant does not exist
     * @throws TenantNotAccessibleException if its users have no access in its state
     */
    <T> T callAs(String idOrSlug, Supplier<T> work);

    /**
     * As {@link #callAs} without a result.
     *
     * @param idOrSlug tenant id or slug
     * @param work     what to run
     */
    default void runAs(String idOrSlug, Runnable work) {
        callAs(idOrSlug, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Binds a tenant in any state but PURGED, for platform work on a locked tenant.
     *
     * @param idOrSlug tenant id or slug
     * @param purpose  why the platform needs the data (recorded with the binding)
     * @param work     what to run
     * @param <T>      result type
     * @return what {@code work} returned
     */
    <T> T callAsPlatform(String idOrSlug, String purpose, Supplier<T> work);

    /** @return the bound tenant's id, if any */
    Optional<String> currentTenantId();

    /**
     * @return the bound tenant's id
     * @throws NoTenantContextException if none is bound
     */
    default String requireTenantId() {
        return currentTenantId().orElseThrow(
                () -> new NoTenantContextException("This operation needs a tenant context and none is bound."));
    }
}
