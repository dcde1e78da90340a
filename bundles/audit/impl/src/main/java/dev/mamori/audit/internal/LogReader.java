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
     * PostgreSQL), so that the head and the rows are one snapshot while integration goes on.
     *
     * @return the head in that snapshot
     */
    private AuditStore.Head rows(RowSink sink) {
        return engine.store.inTransaction(c -> {
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                AuditStore.Head snapshot = AuditStore.head(c, log, false).orElse(head);
                stream(c, sink);
                return snapshot;
            } finally {
                c.commit();
                c.setTransactionIsolation(isolation);
            }
        });
    }

    private void stream(Connection c, RowSink sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, entry_bytes, leaf_hash FROM mamori_audit_entry WHERE log_id = ? "
                + "ORDER BY idx")) {
            ps.setFetchSize(FETCH);
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!sink.row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
