package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import dev.mamori.platform.db.UnitOfWork;

/**
 * Group commit of standalone events (AUD-3 throughput): concurrent publishers queue their rows;
 * whoever finds no flush under way writes everything queued and wakes the others; each returns
 * only once its own row committed, or throws what failed the batch. Nothing is acknowledged before
 * it is durable, and a batch commits or fails whole.
 *
 * <p>A flush is one multi-row INSERT in auto-commit mode: one statement is one transaction, so a
 * batch costs one round trip to the database and one commit (a JDBC batch in a transaction took
 * two round trips and one executor start per row, and those round trips are most of a flush's
 * time besides the disk's). While a flush waits for the disk the next batch gathers; the flusher
 * that finishes wakes the owner of the first queued row, which flushes next, so no row waits for
 * a timeout. {@code itests/bench/audit.sh} measures it beside pgbench's single-row inserts.
 */
final class GroupCommit {
    /** Most rows one flush writes (6 parameters a row: far below the drivers' limits). */
    static final int MAX_BATCH = 1000;
    /**
     * Flushes under way at once. One: on two cores a second flusher only halved the batches and
     * added transactions (more CPU per event, no more events per second); it is a parameter for
     * a machine where that may differ.
     */
    static final int FLUSHERS = 1;
    /** How long a waiting publisher sleeps before it looks again, should no wake-up come. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final String INSERT_HEAD = "INSERT INTO mamori_audit_pending (log_id, event_bytes, occurred_at, action, actor_id, outcome) "
            + "VALUES ";

    /** One queued row and its outcome, set once by the flush that held it. */
    static final class Row {
        private static final Object DONE = new Object();
        final String log;
        final byte[] event;
        final long occurredAt;
        final String action;
        final String actorId;
        final String outcome;
        private final Thread owner = Thread.currentThread();
        /** null while pending, then {@link #DONE} or the RuntimeException that failed its batch. */
        private volatile Object result;

        Row(String log, byte[] event, long occurredAt, String action, String actorId, String outcome) {
            this.log = log;
            this.event = event;
            this.occurredAt = occurredAt;
            this.action = action;
            this.actorId = actorId;
            this.outcome = outcome;
        }

        private void finish(Object r) {
            result = r;
            LockSupport.unpark(owner);
        }
    }

    /** Flushes that committed, the rows they held, and the time they took (ns): what batches a load achieves. */
    final LongAdder flushes = new LongAdder();
    final LongAdder flushedRows = new LongAdder();
    final LongAdder flushNanos = new LongAdder();
    private final ConcurrentLinkedQueue<Row> queue = new ConcurrentLinkedQueue<>();
    /** A pooled connection the last flush kept for the next one (see {@link #insert}). */
    private final ConcurrentLinkedQueue<Connection> kept = new ConcurrentLinkedQueue<>();
    private final Semaphore slots;
    private final DataSource store;
    private final UnitOfWork units;
    private final java.util.function.Supplier<Runnable> afterCommit;
    /** The INSERT of n rows at [n], made on first use (a String is safely published without a lock). */
    private final String[] inserts = new String[MAX_BATCH + 1];

    /**
     * @param store       the main store's pool (not the units' view: a flush is a transaction of its own, whatever unit is active)
     * @param units       the unit of work, whose after-commit thread runs {@code afterCommit}
     * @param afterCommit asked right after each flush committed: what then runs on the after-commit thread (null: nothing)
     */
    GroupCommit(DataSource store, UnitOfWork units, java.util.function.Supplier<Runnable> afterCommit) {
        this(store, units, afterCommit, FLUSHERS);
    }

    GroupCommit(DataSource store, UnitOfWork units, java.util.function.Supplier<Runnable> afterCommit, int flushers) {
        this.store = store;
        this.units = units;
        this.afterCommit = afterCommit;
        this.slots = new Semaphore(flushers);
    }

    /** @return connections kept for a next flush (none once the queue is empty) */
    int kept() {
        return kept.size();
    }

    /** Queues the row and returns once it committed (possibly flushed by another caller); throws what failed its batch. */
    void append(Row row) {
        if (row.owner != Thread.currentThread()) {
            throw new IllegalStateException("A row is appended by the thread that made it");
        }
        queue.add(row);
        boolean interrupted = false;
        try {
            while (row.result == null) {
                if (slots.tryAcquire()) {
                    flush();
                } else {
                    // woken when our row is done, or when a slot frees while it is first in the queue
                    LockSupport.parkNanos(this, PARK_NANOS);
                    // the row is queued or being written: its outcome comes whatever, so wait for it (an
                    // interrupted caller that gave up could not tell whether its event was recorded)
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (row.result != Row.DONE) {
            throw (RuntimeException) row.result;
        }
    }

    /**
     * Writes what is queued, holding a slot; wakes the batch's owners, then frees the slot and
     * wakes the owner of the first row queued meanwhile, which flushes next. In that order, the
     * owners just woken queue their next rows while that one wakes, and the next batch takes them
     * too: handing over first split 16 writers into two alternating halves of half the batch.
     */
    private void flush() {
        List<Row> batch = new ArrayList<>();
        Object outcome = Row.DONE;
        Error error = null;
        try {
            for (Row r; batch.size() < MAX_BATCH && (r = queue.poll()) != null;) {
                batch.add(r);
            }
            if (!batch.isEmpty()) {
                outcome = write(batch);
            }
        } catch (Error e) {
            outcome = AuditStore.unavailable(new IllegalStateException("A group commit failed: " + e, e));
            error = e;
        } finally {
            for (Row r : batch) {
                r.finish(outcome);
            }
            slots.release();
            // rows queued meanwhile have no flusher yet: the first one's owner takes the slot just freed
            Row next = queue.peek();
            if (next != null) {
                LockSupport.unpark(next.owner);
            }
        }
        if (error != null) {
            throw error;
        }
    }

    /** @return {@link Row#DONE} once the batch committed, or the RuntimeException that failed it */
    private Object write(List<Row> batch) {
        long t0 = System.nanoTime();
        try {
            insert(batch);
        } catch (RuntimeException e) {
            return e;
        }
        flushes.increment();
        flushedRows.add(batch.size());
        flushNanos.add(System.nanoTime() - t0);
        try {
            // integration follows on the after-commit thread (a unit of no work only hands it over), unless already queued
            Runnable then = afterCommit.get();
            if (then != null) {
                units.independent(() -> {
                    units.afterCommit(then);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            // the rows are durable whatever: the audit.maintain job integrates them
        }
        return Row.DONE;
    }

    /**
     * One statement in auto-commit mode: the batch's one transaction, durable when it returns. The
     * connection stays with the group commit while another flush is due (rows are queued when
     * this one ends), so that back-to-back flushes borrow, and have the pool validate, once: a
     * validation is a round trip, as long as the rest of a flush but for the disk. It goes back to
     * the pool as soon as the queue is empty, or when a flush on it failed.
     */
    private void insert(List<Row> batch) {
        Connection c = kept.poll();
        boolean keep = false;
        try {
            if (c == null) {
                c = store.getConnection();
            }
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            execute(c, batch);
            keep = !queue.isEmpty();
        } catch (SQLException e) {
            throw AuditStore.unavailable(e);
        } finally {
            if (keep) {
                kept.add(c);
            } else if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // the pool's problem now
                }
            }
        }
        // a flusher that kept it may have found the queue empty meanwhile: nobody else would give it back
        if (keep && queue.isEmpty()) {
            Connection idle = kept.poll();
            if (idle != null) {
                try {
                    idle.close();
                } catch (SQLException e) {
                    // the pool's problem now
                }
            }
        }
    }

    private void execute(Connection c, List<Row> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(batch.size()))) {
            int p = 0;
            for (Row r : batch) {
                ps.setString(++p, r.log);
                ps.setBytes(++p, r.event);
                ps.setLong(++p, r.occurredAt);
                ps.setString(++p, r.action);
                ps.setString(++p, r.actorId);
                ps.setString(++p, r.outcome);
            }
            ps.executeUpdate();
        }
    }

    /** @return the INSERT of n rows: one statement, so one round trip and one executor start for the whole batch */
    private String sql(int n) {
        String sql = inserts[n];
        if (sql == null) {
            StringBuilder b = new StringBuilder(INSERT_HEAD.length() + n * 15).append(INSERT_HEAD);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?)");
            }
            sql = b.toString();
            inserts[n] = sql;
        }
        return sql;
    }
}
