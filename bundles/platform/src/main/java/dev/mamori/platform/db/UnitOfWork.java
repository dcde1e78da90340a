package dev.mamori.platform.db;

import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

import dev.mamori.platform.internal.UnitEngine;

/**
 * One unit of work per thread, which a capability's transactions and the required listeners of its
 * events join: their rows commit or roll back together (the action is done and recorded, or
 * neither). Every {@link Transactions} transaction, and every persistence unit on a
 * {@link UnitDataSource}, joins the active unit, or makes one of its own.
 *
 * <p>Phases of a unit, at the end of its outermost scope:
 * <ol>
 * <li><b>before commit</b> ({@link #beforeCommit}): in the unit; throwing vetoes it, and the whole
 * unit rolls back;</li>
 * <li>the main store commits (with every event the unit published), then the PII store. If the PII
 * store then refuses, the unit is <i>incomplete</i>: the compensations registered with
 * {@link #onIncomplete} run (each in a unit of its own), the event
 * {@code platform.unit.incomplete} names the unit and the events it had published, and the action
 * fails with {@code unit-incomplete};</li>
 * <li><b>after commit</b> ({@link #afterCommit}): asynchronously, after both stores committed;
 * never slows or fails the action (non-required event listeners are delivered here).</li>
 * </ol>
 * A transaction that rolls back inside a unit makes the whole unit roll back, even if its caller
 * caught the exception (fail closed). Work that must commit whatever happens to the caller's unit
 * (counters, leases, key creation under a lock) runs {@link #independent}.
 */
@ProviderType
public interface UnitOfWork {
    /**
     * @return the platform's unit of work, for code that is not a component (tests); components
     *         reference the service
     */
    static UnitOfWork get() {
        return Local.INSTANCE;
    }

    /**
     * Runs work in the active unit, or in a new one that commits when the work returns.
     *
     * @param work the action
     * @param <T>  result type
     * @return what the work returned, after the unit committed (or, when joined, at once)
     */
    <T> T call(Supplier<T> work);

    /** @see #call */
    default void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs work in a unit of its own, which commits or rolls back on its own, whatever unit is active.
     *
     * @param work the work
     * @param <T>  result type
     * @return what the work returned, after its unit committed
     */
    <T> T independent(Supplier<T> work);

    /** @return the active unit's id, if one is active on this thread */
    Optional<String> current();

    /**
     * @param check runs in the active unit just before it commits; throwing rolls the whole unit back
     * @throws IllegalStateException without an active unit
     */
    void beforeCommit(Runnable check);

    /**
     * @param action runs asynchronously once the unit committed; its failure is logged, never the action's
     * @throws IllegalStateException without an active unit
     */
    void afterCommit(Runnable action);

    /**
     * @param compensation undoes on the main store what the unit made visible there, should the PII
     *                     store refuse its commit after the main store committed
     * @throws IllegalStateException without an active unit
     */
    void onIncomplete(Runnable compensation);

    /** The thread-local engine of the platform bundle. */
    final class Local implements UnitOfWork {
        static final Local INSTANCE = new Local();

        private Local() {
        }

        @Override
        public <T> T call(Supplier<T> work) {
            return UnitEngine.call(work);
        }

        @Override
        public <T> T independent(Supplier<T> work) {
            return UnitEngine.independent(work);
        }

        @Override
        public Optional<String> current() {
            return UnitEngine.currentId();
        }

        @Override
        public void beforeCommit(Runnable check) {
            UnitEngine.beforeCommit(check);
        }

        @Override
        public void afterCommit(Runnable action) {
            UnitEngine.afterCommit(action);
        }

        @Override
        public void onIncomplete(Runnable compensation) {
            UnitEngine.onIncomplete(compensation);
        }
    }
}
