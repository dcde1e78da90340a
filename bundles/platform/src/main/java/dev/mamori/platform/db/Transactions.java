package dev.mamori.platform.db;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Map;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.LockTimeoutException;
import javax.persistence.PessimisticLockException;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.internal.UnitEngine;

/**
 * One resource-local transaction around JPA work, for every capability, in the active
 * {@link UnitOfWork} (or in one of its own): on a {@link UnitDataSource} its commit is part of the
 * unit's. Typed
 * {@link MamoriException}s thrown anywhere inside (also deep inside EclipseLink, by a session
 * customizer) come out unwrapped, so callers see one error type whatever layer raised it.
 */
public final class Transactions {
    private Transactions() {
    }

    /**
     * @param emf        persistence unit
     * @param properties EntityManager properties
     * @param work       what to do; it must not keep the EntityManager
     * @param <T>        result type
     * @return what {@code work} returned, after the commit
     */
    public static <T> T inTransaction(EntityManagerFactory emf, Map<String, Object> properties,
            Function<EntityManager, T> work) {
        return UnitEngine.call(() -> transaction(emf, properties, work));
    }

    /**
     * One transaction in a unit of work of its own, whatever unit is active: it commits (or rolls
     * back) on its own, at once. For counters, leases and keys created under a lock, which other
     * threads and nodes must see now, and which the caller's rollback must not undo.
     *
     * @param emf        persistence unit
     * @param properties EntityManager properties
     * @param work       what to do; it must not keep the EntityManager
     * @param <T>        result type
     * @return what {@code work} returned, after the commit
     */
    public static <T> T independent(EntityManagerFactory emf, Map<String, Object> properties,
            Function<EntityManager, T> work) {
        return UnitEngine.independent(() -> transaction(emf, properties, work));
    }

    private static <T> T transaction(EntityManagerFactory emf, Map<String, Object> properties, Function<EntityManager, T> work) {
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
     * @param emf  persistence unit
     * @param work what to do
     * @param <T>  result type
     * @return what {@code work} returned, after the commit
     */
    public static <T> T inTransaction(EntityManagerFactory emf, Function<EntityManager, T> work) {
        return inTransaction(emf, Map.of(), work);
    }

    /**
     * @param e an exception from JPA work
     * @return the first {@link MamoriException} in its cause chain, else {@code e}
     */
    public static RuntimeException unwrap(RuntimeException e) {
        return MamoriException.find(e).map(m -> (RuntimeException) m).orElse(e);
    }

    /**
     * @param e an exception from database work
     * @return whether it says a lock could not be had in time (worth retrying)
     */
    public static boolean isLockTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PessimisticLockException || t instanceof LockTimeoutException || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                // H2: HYT00 lock timeout; PostgreSQL: 55P03 lock not available, 40P01 deadlock, 40001 serialization;
                // both: 57014 a statement cancelled by its query timeout
                if ("HYT00".equals(state) || "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state)
                        || "57014".equals(state)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
