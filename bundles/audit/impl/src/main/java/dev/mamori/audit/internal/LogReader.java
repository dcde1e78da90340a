package dev.mamori.audit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.AuditVerification;
import dev.mamori.audit.proof.ExportWriter;
import dev.mamori.audit.proof.LogVerifier;
import dev.mamori.platform.error.MamoriException;

/**
 * Reads one log from start to end, streaming (ten million entries in constant memory): to verify
 * every entry against its leaf, its position and every checkpoint (in the database and outside it),
 * or to export it as JSON Lines that the offline verifier checks the same way.
 */
final class LogReader {
    private static final int FETCH = 2000;
    /**
     * Rows of one range query. The log is read in ranges of the index with one statement, so
     * that a driver that prepares a statement once it ran a few times reads most of it prepared
     * (PostgreSQL's sends the bytes in binary then, half the size of the text form and no hex to
     * decode: the read took half the time); each range is a short index scan.
     */
    static final int RANGE = 10_000;
    private static final String COLUMNS = "SELECT idx, entry_bytes, leaf_hash FROM mamori_audit_entry WHERE log_id = ? ";

    /** Sees each stored row in index order. */
    @FunctionalInterface
    private interface RowSink {
        boolean row(long index, byte[] entry, byte[] leafHash) throws IOException;
    }

    private final AuditEngine engine;
    private final String log;
    private final AuditStore.Head head;

    LogReader(AuditEngine engine, String log, AuditStore.Head head) {
        this.engine = engine;
        this.log = log;
        this.head = head;
    }

    AuditVerification verify(List<String> externalNotes) {
        List<String> keys = engine.checkpointer.verifierKeys(log, head.origin());
        if (keys.isEmpty()) {
            throw new MamoriException(AuditErrors.STORE_UNAVAILABLE, "The log " + log + " has no checkpoint signing key yet (size "
                    + head.size() + ", checkpoint at " + head.checkpointSize() + "); it is made with its first checkpoint.");
        }
        LogVerifier v = new LogVerifier(log, head.origin(), keys);
        List<AuditStore.StoredCheckpoint> checkpoints = engine.store.read(c -> AuditStore.checkpoints(c, log));
        engine.store.inTransaction(c -> {
            if (head.prunedBefore() > 0) {
                v.start(head.prunedBefore(), new TreeHashes(c, log, head.prunedBefore()).frontierAt(head.prunedBefore()).peaks());
            }
            return null;
        });
        checkpoints.forEach(cp -> v.checkpoint(cp.note()));
        List<String> external = new ArrayList<>(externalNotes);
        external.addAll(engine.sinkNotes(log));
        external.forEach(v::externalCheckpoint);
        AuditStore.Head snapshot = rows((index, entry, leaf) -> v.entry(index, entry, leaf));
        LogVerifier.Result r = v.finish(snapshot.size());
        return new AuditVerification(log, r.ok(), r.entriesChecked(), r.checkpointsChecked(), r.size(),
                r.root() == null ? null : Base64.getEncoder().encodeToString(r.root()), r.ok() ? -1 : r.position(),
                r.ok() ? null : r.kind().name(), r.message());
    }

    long export(OutputStream out) {
        List<String> keys = engine.checkpointer.verifierKeys(log, head.origin());
        List<AuditStore.StoredCheckpoint> checkpoints = engine.store.read(c -> AuditStore.checkpoints(c, log));
        List<byte[]> peaks = head.prunedBefore() == 0 ? List.of()
                : engine.store.read(c -> new TreeHashes(c, log, head.prunedBefore()).frontierAt(head.prunedBefore()).peaks());
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long[] count = {0};
        int[] next = {0};
        try {
            line(w, ExportWriter.header(log, head.origin(), head.prunedBefore(), peaks, keys));
            while (next[0] < checkpoints.size() && checkpoints.get(next[0]).size() <= head.prunedBefore()) {
                line(w, ExportWriter.checkpoint(checkpoints.get(next[0]).size(), checkpoints.get(next[0]).note()));
                next[0]++;
            }
            rows((index, entry, leaf) -> {
                if (index >= head.size()) {
                    return false;
                }
                line(w, ExportWriter.entry(index, entry, leaf));
                count[0]++;
                while (next[0] < checkpoints.size() && checkpoints.get(next[0]).size() == index + 1) {
                    line(w, ExportWriter.checkpoint(checkpoints.get(next[0]).size(), checkpoints.get(next[0]).note()));
                    next[0]++;
                }
                return true;
            });
            line(w, ExportWriter.trailer(count[0], head.size()));
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("The export could not be written", e);
        }
        return count[0];
    }

    private static void line(Writer w, String line) throws IOException {
        w.write(line);
        w.write('\n');
    }

    /**
     * Streams the log's rows in index order, in one repeatable-read transaction (a cursor on
     * PostgreSQL), so that the head and the rows are one snapshot while integration goes on. This
     * thread reads; the sink sees the rows, in order, on a thread of its own ({@link Pipe}).
     *
     * @return the head in that snapshot
     */
    private AuditStore.Head rows(RowSink sink) {
        return engine.store.inTransaction(c -> {
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Pipe pipe = new Pipe(sink, log)) {
                AuditStore.Head snapshot = AuditStore.head(c, log, false).orElse(head);
                stream(c, snapshot, pipe);
                pipe.finish();
                return snapshot;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                c.commit();
                c.setTransactionIsolation(isolation);
            }
        });
    }

    /**
     * Hands rows, a thousand at a time, to a thread of its own that feeds them to the sink: the
     * driver decoding rows and the verifier hashing them (each about half of the time of a
     * verification) then run at once, on two cores. The sink sees every row in order, on that
     * one thread; once it wants no more, or threw, the reader stops; {@link #finish} waits until
     * it saw the last row and throws what it threw.
     */
    private static final class Pipe implements RowSink, AutoCloseable {
        private static final int BATCH = 1000;
        private static final Batch END = new Batch(0);
        private final ArrayBlockingQueue<Batch> queue = new ArrayBlockingQueue<>(8);
        private final RowSink sink;
        private final Thread consumer;
        /** Set once the sink wants no more rows or failed. */
        private volatile boolean stopped;
        private volatile Throwable failure;
        private Batch current = new Batch(BATCH);
        private boolean finished;

        /** A run of rows. */
        private static final class Batch {
            final long[] index;
            final byte[][] entry;
            final byte[][] leaf;
            int size;

            Batch(int capacity) {
                index = new long[capacity];
                entry = new byte[capacity][];
                leaf = new byte[capacity][];
            }
        }

        Pipe(RowSink sink, String log) {
            this.sink = sink;
            this.consumer = new Thread(this::consume, "mamori-audit-read-" + log);
            consumer.setDaemon(true);
            consumer.start();
        }

        @Override
        public boolean row(long index, byte[] entry, byte[] leafHash) {
            if (stopped) {
                return false;
            }
            Batch b = current;
            b.index[b.size] = index;
            b.entry[b.size] = entry;
            b.leaf[b.size] = leafHash;
            if (++b.size == BATCH) {
                current = new Batch(BATCH);
                return hand(b);
            }
            return true;
        }

        /** @return whether the sink still wants rows */
        private boolean hand(Batch b) {
            try {
                while (!queue.offer(b, 10, TimeUnit.MILLISECONDS)) {
                    if (stopped) {
                        return false;
                    }
                }
                return !stopped;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while reading the audit log", e);
            }
        }

        private void consume() {
            try {
                for (Batch b = queue.take(); b != END; b = queue.take()) {
                    for (int i = 0; i < b.size; i++) {
                        if (!sink.row(b.index[i], b.entry[i], b.leaf[i])) {
                            stopped = true;
                            return;
                        }
                    }
                }
            } catch (Throwable t) {
                failure = t;
                stopped = true;
            }
        }

        /** Hands the last rows and waits until the sink saw them; throws what the sink threw. */
        void finish() throws IOException {
            if (current.size > 0) {
                hand(current);
            }
            hand(END);
            join();
            finished = true;
            Throwable t = failure;
            if (t instanceof IOException) {
                throw (IOException) t;
            }
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
        }

        private void join() {
            boolean interrupted = false;
            while (consumer.isAlive()) {
                try {
                    consumer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** After a failed read: stops the consumer, and waits for it (the sink is not used after this returns). */
        @Override
        public void close() {
            if (!finished) {
                stopped = true;
                consumer.interrupt();
                join();
            }
        }
    }

    /**
     * Every row of the log in index order: those below the snapshot's first entry (none, unless
     * rows were added there), the snapshot's range in ranges of {@link #RANGE}, and any beyond it
     * (rows added after the head): the verifier sees whatever is stored, as one ordered scan would.
     */
    private void stream(Connection c, AuditStore.Head snapshot, RowSink sink) throws SQLException, IOException {
        long from = snapshot.prunedBefore();
        if (!query(c, COLUMNS + "AND idx < ? ORDER BY idx", sink, from)) {
            return;
        }
        try (PreparedStatement range = c.prepareStatement(COLUMNS + "AND idx >= ? AND idx < ? ORDER BY idx")) {
            for (long lo = from; lo < snapshot.size(); lo += RANGE) {
                range.setString(1, log);
                range.setLong(2, lo);
                range.setLong(3, lo + RANGE);
                if (!read(range, sink)) {
                    return;
                }
            }
        }
        query(c, COLUMNS + "AND idx >= ? ORDER BY idx", sink, Math.max(from, snapshot.size()));
    }

    private boolean query(Connection c, String sql, RowSink sink, long bound) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, log);
            ps.setLong(2, bound);
            return read(ps, sink);
        }
    }

    /** @return whether the sink wants more */
    private static boolean read(PreparedStatement ps, RowSink sink) throws SQLException, IOException {
        ps.setFetchSize(FETCH);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!sink.row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))) {
                    return false;
                }
            }
        }
        return true;
    }
}
