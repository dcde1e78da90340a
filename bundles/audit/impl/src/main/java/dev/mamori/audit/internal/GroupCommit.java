package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import dev.mamori.platform.db.UnitOfWork;

/**
 * Group commit of standalone events (AUD-3 throughput): concurrent publishers queue their rows,
 * one of them — whoever finds no flush under way — writes everything queued in one transaction and
 * wakes the others; each returns only once its own row committed, or throws what failed the batch.
 * Nothing is acknowledged before it is durable; a burst of N events costs about N / batch flushes.
 */
final class GroupCommit {
    /** Most rows one flush writes. */
    static final int MAX_BATCH = 1000;

    /** One queued row and its outcome. */
    record Row(String log, byte[] event, long occurredAt, String action, String actorId, String outcome, CompletableFuture<Void> done) {
    }

    private final ConcurrentLinkedQueue<Row> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private final DataSource unitStore;
    private final UnitOfWork units;
    private final Runnable afterCommit;

    /**
     * @param unitStore   the main store as units see it
     * @param units       the unit of work each flush is
     * @param afterCommit what runs (on the after-commit thread) once a flush committed
     */
    GroupCommit(DataSource unitStore, UnitOfWork units, Runnable afterCommit) {
        this.unitStore = unitStore;
        this.units = units;
        this.afterCommit = afterCommit;
    }

    /** Queues the row and returns once it committed (possibly flushed by another caller). */
    void append(Row row) {
        queue.add(row);
        while (!row.done().isDone()) {
            if (flushing.tryLock()) {
                try {
                    flush();
                } finally {
                    flushing.unlock();
                }
            } else {
                try {
                    row.done().get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // timed out: the flush under way may not hold our row; failed: reported below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw AuditStore.unavailable(e);
                }
            }
        }
        try {
            row.done().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : AuditStore.unavailable((Exception) e.getCause());
        }
    }

    private void flush() {
        List<Row> batch = new ArrayList<>();
        for (Row r; batch.size() < MAX_BATCH && (r = queue.poll()) != null;) {
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            units.independent(() -> {
                try (Connection c = unitStore.getConnection(); PreparedStatement ps = c.prepareStatement(AuditRecorder.INSERT)) {
                    for (Row r : batch) {
                        AuditRecorder.bind(ps, r.log(), r.event(), r.occurredAt(), r.action(), r.actorId(), r.outcome());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                } catch (SQLException e) {
                    throw AuditStore.unavailable(e);
                }
                units.afterCommit(afterCommit);
                return null;
            });
        } catch (RuntimeException | Error e) {
            // every row taken is answered, whatever failed: no publisher waits for a batch that is gone
            RuntimeException failure = e instanceof RuntimeException ? (RuntimeException) e : AuditStore.unavailable(new Exception(e));
            batch.forEach(r -> r.done().completeExceptionally(failure));
            if (e instanceof Error) {
                throw (Error) e;
            }
            return;
        }
        batch.forEach(r -> r.done().complete(null));
    }
}
