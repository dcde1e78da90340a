package dev.mamori.audit.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Reads one log from its first kept entry up to a bound — the size of its newest checkpoint, so
 * that everything read is covered by a signature — in constant memory, page by page in short
 * transactions (a slow export client never holds a database connection): to verify every entry
 * against its leaf, its position and every checkpoint (in the database, in the sinks, kept by the
 * caller), or to export it as JSON Lines that the offline verifier checks the same way. Reading and
 * verifying run on two threads (the reader, and one per read for the sink).
 */
final class LogReader {
    /** Rows one page (one short read) holds. */
    static final int PAGE = 10_000;

    /** Sees each stored row in index order. */
    @FunctionalInterface
    private interface RowSink {
        boolean row(long index, byte[] entry, byte[] leafHash) throws IOException;
    }

    private record Row(long index, byte[] entry, byte[] leaf) {
    }

    private final AuditEngine engine;
    private final String log;
    private final AuditStore.Head head;
    private final long bound;

    /**
     * @param engine the log machinery
     * @param log    the log
     * @param head   its head
     * @param bound  read entries below this index (the newest checkpoint's size)
     */
    LogReader(AuditEngine engine, String log, AuditStore.Head head, long bound) {
        this.engine = engine;
        this.log = log;
        this.head = head;
        this.bound = bound;
    }

    AuditVerification verify(List<String> externalNotes) {
        List<String> keys = engine.checkpointer.verifierKeys(log, head.origin());
        if (keys.isEmpty()) {
            throw new MamoriException(AuditErrors.STORE_UNAVAILABLE, "The log " + log + " has no checkpoint signing key yet (size "
                    + head.size() + "); it is made with its first checkpoint.");
        }
        LogVerifier v = new LogVerifier(log, head.origin(), keys);
        if (head.prunedBefore() > 0) {
            v.start(head.prunedBefore(), engine.store.read(c -> new TreeHashes(c, log, head.prunedBefore()).frontierAt(head.prunedBefore())
                    .peaks()));
        }
        engine.store.read(c -> AuditStore.checkpoints(c, log)).stream().filter(cp -> cp.size() <= bound).forEach(cp -> v.checkpoint(cp.note()));
        List<String> external = new ArrayList<>(externalNotes);
        // the sinks keep every checkpoint since the log began: those of the pruned prefix were checked when it was pruned
        engine.sinkNotes(log).stream().filter(n -> Checkpointer.size(n) >= head.prunedBefore()).forEach(external::add);
        external.sort((a, b) -> Long.compare(Checkpointer.size(a), Checkpointer.size(b)));
        external.forEach(v::externalCheckpoint);
        rows((index, entry, leaf) -> v.entry(index, entry, leaf));
        LogVerifier.Result r = v.finish(bound);
        return new AuditVerification(log, r.ok(), r.entriesChecked(), r.checkpointsChecked(), r.size(),
                r.root() == null ? null : Base64.getEncoder().encodeToString(r.root()), r.ok() ? -1 : r.position(),
                r.ok() ? null : r.kind().name(), r.message());
    }

    long export(OutputStream out) {
        List<String> keys = engine.checkpointer.verifierKeys(log, head.origin());
        List<AuditStore.StoredCheckpoint> checkpoints = new ArrayList<>(engine.store.read(c -> AuditStore.checkpoints(c, log)));
        checkpoints.removeIf(cp -> cp.size() > bound);
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
                line(w, ExportWriter.entry(index, entry, leaf));
                count[0]++;
                while (next[0] < checkpoints.size() && checkpoints.get(next[0]).size() == index + 1) {
                    line(w, ExportWriter.checkpoint(checkpoints.get(next[0]).size(), checkpoints.get(next[0]).note()));
                    next[0]++;
                }
                return true;
            });
            line(w, ExportWriter.trailer(count[0], bound));
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
     * Streams the rows below the bound in index order: read page by page in short reads (the
     * connection goes back to the pool before the rows are handed on, so a slow export client
     * never holds one), and handed to the sink on a thread of its own ({@link Pipe}) so that
     * reading and hashing run at once on two cores. Rows beyond the bound (integrated since the
     * checkpoint) are not read; a gap or an extra row shows in the indexes the verifier sees.
     */
    private void rows(RowSink sink) {
        try (Pipe pipe = new Pipe(sink, log)) {
            long after = -1;
            while (true) {
                long from = after;
                List<Row> page = engine.store.read(c -> {
                    List<Row> out = new ArrayList<>(PAGE);
                    try (PreparedStatement ps = c.prepareStatement("SELECT idx, entry_bytes, leaf_hash FROM mamori_audit_entry "
                            + "WHERE log_id = ? AND idx > ? AND idx < ? ORDER BY idx FETCH FIRST " + PAGE + " ROWS ONLY")) {
                        ps.setString(1, log);
                        ps.setLong(2, from);
                        ps.setLong(3, bound);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(new Row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                            }
                        }
                    }
                    return out;
                });
                boolean more = true;
                for (Row r : page) {
                    if (!pipe.row(r.index(), r.entry(), r.leaf())) {
                        more = false;
                        break;
                    }
                }
                if (!more || page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).index();
            }
            pipe.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

}
