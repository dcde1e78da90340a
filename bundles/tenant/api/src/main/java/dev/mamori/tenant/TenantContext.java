package dev.mamori.tenant;

import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;

/**
 * "Run as tenant": the only way into tenant-scoped data (TEN-1). The tenant is bound into the
 * {@link ExecutionContext} of the calling thread for the work; tenant-scoped persistence refuses
 * to run without it, and refuses an EntityManager bound to any other tenant.
 *
 * <p>{@link #callAs} is tenant-facing: it admits only tenants whose users have access (TRIAL,
 * ACTIVE); an EXPIRED tenant is refused as not accessible, a DELETED or PURGED one is answered as
 * if it did not exist (TEN-2, TEN-4). A user or tenant plugin reaches its own tenant only.
 * Platform work that must reach a locked tenant's data (purge, export for the customer,
 * re-encryption, restore) uses {@link #callAsPlatform} with a named purpose: only operators and the
 * platform itself may, and every use is published as an event.
 */
@ProviderType
public interface TenantContext {

    /**
     * @param idOrSlug tenant id or slug
     * @param work     what to run with the tenant bound
     * @param <T>      result type
     * @return what {@code work} returned
     * @throws TenantNotFoundException      if the tenant does not exist, is DELETED or PURGED, or is
     *                                      not the caller's own
     * @throws TenantNotAccessibleException if its users have no access in its state (EXPIRED)
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
     * Binds a tenant in any state but PURGED for platform work, recording why.
     *
     * @param idOrSlug tenant id or slug
     * @param purpose  the named purpose (recorded in the context and in a
     *                 {@code platform.tenant-access} event)
     * @param work     what to run
     * @param <T>      result type
     * @return what {@code work} returned
     * @throws dev.mamori.platform.error.MamoriException {@code platform-access-denied} unless an
     *         operator or the platform itself acts, {@code no-execution-context} without a context
     */
    <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work);

    /** @return the bound tenant's id, if any */
    default Optional<String> currentTenantId() {
        return ExecutionContext.current().flatMap(ExecutionContext::tenantId);
    }

    /**
     * @return the bound tenant's id
     * @throws NoTenantContextException if none is bound
     */
    default String requireTenantId() {
        return currentTenantId().orElseThrow(
                () -> new NoTenantContextException("This operation needs a tenant context and none is bound."));
    }
}
