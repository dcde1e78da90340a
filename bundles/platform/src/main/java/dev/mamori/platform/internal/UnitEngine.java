package dev.mamori.platform.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * The one unit of work per thread (see {@link UnitOfWork}). Every persistence unit reaches its
 * store through a {@link dev.mamori.platform.db.UnitDataSource}; while a unit is active on the
 * thread, each store hands every one of them the same physical connection, in one transaction, so
 * a capability's rows and the rows its required event listeners write (the audit trail) commit or
 * roll back together. Persistence units "commit" into the unit (their commit is a no-op on the
 * shared connection); the unit commits at the end of its outermost scope:
 * <ol>
 * <li>before-commit callbacks, in the unit (one that throws rolls everything back);</li>
 * <li>the main store ({@value #MAIN}), which holds the events;</li>
 * <li>the other stores (the PII store): if one fails after the main store committed, the unit
 * is incomplete - its compensations run and the {@link #incompleteListener} publishes an event
 * that says so;</li>
 * <li>after-commit callbacks, asynchronously on {@link #executor}: they never slow or fail the
 * action.</li>
 * </ol>
 * A persistence unit whose transaction rolls back marks the whole unit rollback-only (fail closed:
 * the action cannot half-succeed by catching the error).
 */
public final class UnitEngine {
    /** The main store: every event, and the audit trail, are written there. */
    public static final String MAIN = "mamori";
    private static final Logger LOG = LoggerFactory.getLogger(UnitEngine.class);
    private static final ThreadLocal<Unit> CURRENT = new ThreadLocal<>();
    private static volatile Executor executor;
    private static volatile Consumer<Incomplete> incompleteListener;

    private UnitEngine() {
    }

    /** What a unit that committed its main store but not another store had recorded. */
    public record Incomplete(String unitId, List<String> failedStores, List<String> events, Throwable cause) {
    }

    /** One unit: its connections by store, its phases, its state. */
    static final class Unit {
        final String id = UUID.randomUUID().toString();
        final Map<String, Connection> connections = new LinkedHashMap<>();
        final List<Runnable> beforeCommit = new ArrayList<>();
        final List<Runnable> afterCommit = new ArrayList<>();
        final List<Runnable> compensations = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        Throwable rollbackCause;
        boolean completing;
    }

    /** @param e runs after-commit callbacks (null: they run on the committing thread, errors caught) */
    public static void executor(Executor e) {
        executor = e;
    }

    /** @param l told when a unit committed its main store but not another one */
    public static void incompleteListener(Consumer<Incomplete> l) {
        incompleteListener = l;
    }

    /** @return the id of the unit active on this thread */
    public static Optional<String> currentId() {
        Unit u = CURRENT.get();
        return u == null ? Optional.empty() : Optional.of(u.id);
    }

    /** @return whether a unit is active on this thread */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /** Runs work in the active unit, or in a new one that commits when it returns. */
    public static <T> T call(Supplier<T> work) {
        Unit u = CURRENT.get();
        if (u != null) {
            return work.get();
        }
        u = new Unit();
        CURRENT.set(u);
        T result;
        try {
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                rollback(u, e);
                throw e;
            }
            complete(u);
        } finally {
            CURRENT.remove();
            close(u);
        }
        // outside the unit: after-commit work is never part of it
        runAfterCommit(u);
        return result;
    }

    /** Runs work in a unit of its own, whatever unit is active: it commits or rolls back on its own. */
    public static <T> T independent(Supplier<T> work) {
        Unit outer = CURRENT.get();
        CURRENT.remove();
        try {
            return call(work);
        } finally {
            if (outer != null) {
                CURRENT.set(outer);
            }
        }
    }

    /** Registers a callback of the active unit's phase; refused without a unit. */
    public static void beforeCommit(Runnable r) {
        require("before-commit").beforeCommit.add(r);
    }

    /** @see #beforeCommit */
    public static void afterCommit(Runnable r) {
        require("after-commit").afterCommit.add(r);
    }

    /** @see #beforeCommit */
    public static void onIncomplete(Runnable r) {
        require("compensation").compensations.add(r);
    }

    /**
     * Marks the active unit rollback-only (fail closed): whatever its caller does with the exception,
     * the unit will not commit. No-op without a unit.
     *
     * @param cause why
     */
    public static void setRollbackOnly(Throwable cause) {
        Unit u = CURRENT.get();
        if (u != null && u.rollbackCause == null) {
            u.rollbackCause = cause;
        }
    }

    /** Notes an event the active unit published (named in the follow-up if the unit ends incomplete). */
    public static void recordEvent(String description) {
        Unit u = CURRENT.get();
        if (u != null) {
            u.events.add(description);
        }
    }

    private static Unit require(String what) {
        Unit u = CURRENT.get();
        if (u == null) {
            throw new IllegalStateException("A " + what + " callback needs an active unit of work");
        }
        return u;
    }

    /**
     * @param store the store's name ({@value #MAIN}, {@code mamori-pii})
     * @param raw   the store's pooled DataSource
     * @return inside a unit, the unit's connection to the store (the physical one stays the unit's:
     *         closing, committing or switching auto-commit on what is returned changes nothing);
     *         outside, a connection of the pool
     */
    public static Connection connection(String store, DataSource raw) throws SQLException {
        Unit u = CURRENT.get();
        if (u == null) {
            return raw.getConnection();
        }
        if (u.completing) {
            throw new SQLException("The unit of work " + u.id + " is committing; it takes no more work on " + store);
        }
        Connection c = u.connections.get(store);
        if (c == null) {
            c = raw.getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            u.connections.put(store, c);
        }
        return shared(u, store, c);
    }

    private static Connection shared(Unit u, String store, Connection physical) {
        InvocationHandler h = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                switch (m.getName()) {
                    case "close":
                    case "commit":
                    case "setAutoCommit":
                        // the unit's, not the participant's: it commits (or not) at the end
                        return null;
                    case "getAutoCommit":
                        return false;
                    case "rollback":
                        if (args == null || args.length == 0) {
                            // a participant's transaction failed: the unit can no longer commit
                            if (u.rollbackCause == null) {
                                u.rollbackCause = new IllegalStateException("a transaction on " + store + " rolled back");
                            }
                            return null;
                        }
                        break;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "unit " + u.id + " connection to " + store;
                    default:
                        break;
                }
                try {
                    return m.invoke(physical, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(UnitEngine.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static void complete(Unit u) {
        if (u.rollbackCause != null) {
            RuntimeException e = new MamoriException(PlatformErrors.UNIT_ROLLED_BACK, "The action could not be completed: part of "
                    + "its work failed, so none of it was done.", u.rollbackCause);
            rollback(u, e);
            throw e;
        }
        // before-commit callbacks may register more (an audit writer's own check): run until none is left
        for (int i = 0; i < u.beforeCommit.size(); i++) {
            try {
                u.beforeCommit.get(i).run();
            } catch (RuntimeException | Error e) {
                rollback(u, e);
                throw e;
            }
        }
        if (u.rollbackCause != null) {
            RuntimeException e = new MamoriException(PlatformErrors.UNIT_ROLLED_BACK, "The action could not be completed: a "
                    + "check before the commit failed, so none of it was done.", u.rollbackCause);
            rollback(u, e);
            throw e;
        }
        u.completing = true;
        Connection main = u.connections.get(MAIN);
        if (main != null) {
            try {
                main.commit();
            } catch (SQLException | RuntimeException e) {
                MamoriException failure = new MamoriException(PlatformErrors.UNIT_ROLLED_BACK, "The action could not be "
                        + "completed: the database refused its commit, so none of it was done.", e, Duration.ofSeconds(5));
                rollback(u, failure);
                throw failure;
            }
        }
        List<String> failed = new ArrayList<>();
        Throwable firstFailure = null;
        for (Map.Entry<String, Connection> c : u.connections.entrySet()) {
            if (c.getKey().equals(MAIN)) {
                continue;
            }
            try {
                if (failed.isEmpty()) {
                    c.getValue().commit();
                } else {
                    c.getValue().rollback();
                }
            } catch (SQLException | RuntimeException e) {
                failed.add(c.getKey());
                firstFailure = firstFailure == null ? e : firstFailure;
                try {
                    c.getValue().rollback();
                } catch (SQLException | RuntimeException r) {
                    e.addSuppressed(r);
                }
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        if (main == null) {
            // nothing committed anywhere: an ordinary failure
            throw new MamoriException(PlatformErrors.UNIT_ROLLED_BACK, "The action could not be completed: the database refused "
                    + "its commit, so none of it was done.", firstFailure, Duration.ofSeconds(5));
        }
        incomplete(u, failed, firstFailure);
    }

    private static void runAfterCommit(Unit u) {
        for (Runnable r : u.afterCommit) {
            later(r, "unit " + u.id);
        }
    }

    /**
     * Runs work on the after-commit thread, as an after-commit callback of committed work outside
     * any unit (an event recorded standalone): its failure is logged, never the caller's.
     *
     * @param r     the work
     * @param owner what it follows, for the log
     */
    public static void later(Runnable r, String owner) {
        Executor e = executor;
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (RuntimeException | Error t) {
                LOG.error("After-commit work of {} failed (the action had committed)", owner, t);
            }
        };
        if (e == null) {
            guarded.run();
        } else {
            try {
                e.execute(guarded);
            } catch (RuntimeException rejected) {
                LOG.error("After-commit work of {} dropped: {}", owner, rejected.toString());
            }
        }
    }

    /**
     * A store other than the main one failed to commit after the main store did: the events of the
     * unit are recorded, its work on that store is not. The participants' compensations undo what
     * they made visible on the main store, and the listener publishes an event that says so.
     */
    private static void incomplete(Unit u, List<String> failed, Throwable cause) {
        LOG.error("Unit of work {} is INCOMPLETE: {} did not commit after the main store did; compensations run and an "
                + "event says so", u.id, failed, cause);
        for (Runnable r : u.compensations) {
            try {
                independent(() -> {
                    r.run();
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("Compensation of incomplete unit {} failed", u.id, e);
            }
        }
        Consumer<Incomplete> l = incompleteListener;
        if (l != null) {
            try {
                // a unit of its own: this one is committing
                independent(() -> {
                    l.accept(new Incomplete(u.id, List.copyOf(failed), List.copyOf(u.events), cause));
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("The event for incomplete unit {} could not be published", u.id, e);
            }
        }
        throw new MamoriException(PlatformErrors.UNIT_INCOMPLETE, "The action could not be completed: part of it was refused "
                + "by the database after the rest was recorded; the record says so.", cause, Duration.ofSeconds(5));
    }

    private static void rollback(Unit u, Throwable cause) {
        for (Map.Entry<String, Connection> c : u.connections.entrySet()) {
            try {
                c.getValue().rollback();
            } catch (SQLException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static void close(Unit u) {
        for (Connection c : u.connections.values()) {
            try {
                c.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                // the pool discards or resets it
            }
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Closing a connection of unit {} failed: {}", u.id, e.toString());
            }
        }
        u.connections.clear();
    }
}
