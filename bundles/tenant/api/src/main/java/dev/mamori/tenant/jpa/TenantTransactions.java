package dev.mamori.tenant.jpa;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.db.Transactions;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantErrors;
import dev.mamori.tenant.TenantException;

/**
 * Runs JPA work in one resource-local transaction, with an EntityManager bound to the tenant of
 * the current {@link ExecutionContext}. Without a bound tenant nothing runs.
 */
public final class TenantTransactions {
    private final EntityManagerFactory emf;
    private final TenantContext context;

    /**
     * @param emf     the persistence unit of the calling capability
     * @param context the tenant context
     */
    public TenantTransactions(EntityManagerFactory emf, TenantContext context) {
        this.emf = Objects.requireNonNull(emf, "emf");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * @param work what to do; it must not keep the EntityManager
     * @param <T>  result type
     * @return what {@code work} returned, after a successful commit
     * @throws NoTenantContextException if no tenant is bound
     */
    public <T> T inTenant(Function<EntityManager, T> work) {
        String tenant = context.requireTenantId();
        return Transactions.inTransaction(emf, Map.of(TenantScoped.CONTEXT_PROPERTY, tenant), work);
    }

    /**
     * Like {@link #inTenant}, in a unit of work of its own ({@link Transactions#independent}): it
     * commits at once, whatever the caller's unit does. For counters and locks that other threads and
     * nodes must see now.
     *
     * @param work what to do; it must not keep the EntityManager
     * @param <T>  result type
     * @return what {@code work} returned, after its commit
     * @throws NoTenantContextException if no tenant is bound
     */
    public <T> T independent(Function<EntityManager, T> work) {
        String tenant = context.requireTenantId();
        return Transactions.independent(emf, Map.of(TenantScoped.CONTEXT_PROPERTY, tenant), work);
    }

    /**
     * Transaction helper that also accepts explicit EntityManager properties. A tenant property, if
     * given, must be the tenant bound in the execution context: nobody opens another tenant's data
     * by naming it.
     *
     * @param emf        persistence unit
     * @param properties EntityManager properties
     * @param work       what to do
     * @param <T>        result type
     * @return what {@code work} returned, after commit
     */
    public static <T> T inTransaction(EntityManagerFactory emf, Map<String, Object> properties,
            Function<EntityManager, T> work) {
        Object tenant = properties.get(TenantScoped.CONTEXT_PROPERTY);
        if (tenant != null) {
            String bound = ExecutionContext.current().flatMap(ExecutionContext::tenantId).orElseThrow(
                    () -> new NoTenantContextException("A tenant-scoped EntityManager needs a tenant context and none is bound."));
            if (!bound.equals(tenant)) {
                throw new TenantException(TenantErrors.CONTEXT_CONFLICT,
                        "An EntityManager for another tenant than the one bound was refused.");
            }
        }
        return Transactions.inTransaction(emf, properties, work);
    }
}
