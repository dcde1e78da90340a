package dev.mamori.tenant.jpa;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;

import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantException;

/**
 * Runs JPA work in one resource-local transaction, with an EntityManager bound to the tenant
 * of the current {@link TenantContext}. Without a bound tenant nothing runs.
 *
 * <p>Typed {@link TenantException}s thrown anywhere inside the work (including by
 * {@link TenantGuard} deep inside EclipseLink) come out unwrapped, so callers see one error
 * type whatever layer raised it.
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
     * @throws dev.mamori.tenant.NoTenantContextException if no tenant is bound
     */
    public <T> T inTenant(Function<EntityManager, T> work) {
        String tenant = context.requireTenantId();
        return inTransaction(emf, Map.of(TenantScoped.CONTEXT_PROPERTY, tenant), work);
    }

    /**
     * Plain transaction helper for capabilities' own, non tenant-scoped entities.
     *
     * @param emf        persistence unit
     * @param properties EntityManager properties
     * @param work       what to do
     * @param <T>        result type
     * @return what {@code work} returned, after commit
     */
    public static <T> T inTransaction(EntityManagerFactory emf, Map<String, Object> properties,
            Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager(properties);
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw unwrap(e);
        } finally {
            em.close();
        }
    }

    /**
     * @param e an exception from JPA work
     * @return the first {@link TenantException} in its cause chain, else {@code e}
     */
    public static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TenantException) {
                return (TenantException) t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }
}
