package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.platform.error.MamoriException;

/**
 * The audit tables, in plain JDBC (one insert per event on the hot path, batches elsewhere): the
 * log heads, the leaves, the subtree tiles, the pruned blocks and the checkpoints. Every SQL
 * failure comes out as {@code audit-store-unavailable}, so a caller fails closed with a 503.
 */
final class AuditStore {
    /** A log's head: where its tree stands. */
    record Head(String log, String origin, long size, List<byte[]> peaks, long prunedBefore, long checkpointSize) {
    }

    /** A stored checkpoint. */
    record StoredCheckpoint(String log, long size, byte[] root, long signedAt, String note) {
    }

    /** One stored leaf. */
    record Leaf(long index, byte[] leafHash, byte[] entry) {
    }

    /** Reads rows, may throw SQLException. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Work on a connection, may throw SQLException. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource raw;

    /** @param raw the pooled {@code mamori} DataSource (the integrator's and readers' own transactions) */
    AuditStore(DataSource raw) {
        this.raw = raw;
    }

    /** @return what work returned, in one transaction of its own on the main store */
    <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = raw.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** @return what work returned, read with auto-commit */
    <T> T read(SqlWork<T> work) {
        try (Connection c = raw.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    static MamoriException unavailable(Exception e) {
        return new MamoriException(AuditErrors.STORE_UNAVAILABLE, "The audit log cannot be reached now; nothing was done. "
                + "Retry shortly.", e, java.time.Duration.ofSeconds(5));
    }

    // ---- heads

    static Optional<Head> head(Connection c, String log, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT origin, tree_size, peaks, pruned_before, checkpoint_size "
                + "FROM mamori_audit_log WHERE log_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Head(log, rs.getString(1), rs.getLong(2), split(rs.getBytes(3)), rs.getLong(4), rs.getLong(5)));
            }
        }
    }

    /** Makes an empty log's head; false if another transaction made it first. */
    static boolean createHead(Connection c, String log, String origin, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_audit_log (log_id, origin, tree_size, peaks, pruned_before, "
                + "checkpoint_size, updated_at) VALUES (?, ?, 0, ?, 0, 0, ?)")) {
            ps.setString(1, log);
            ps.setString(2, origin);
            ps.setBytes(3, new byte[0]);
            ps.setLong(4, now);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    static void updateHead(Connection c, String log, long size, List<byte[]> peaks, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_audit_log SET tree_size = ?, peaks = ?, updated_at = ? WHERE log_id = ?")) {
            ps.setLong(1, size);
            ps.setBytes(2, join(peaks));
            ps.setLong(3, now);
            ps.setString(4, log);
            ps.executeUpdate();
        }
    }

    static List<Head> heads(Connection c) throws SQLException {
        List<Head> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT log_id, origin, tree_size, peaks, pruned_before, checkpoint_size "
                + "FROM mamori_audit_log ORDER BY log_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Head(rs.getString(1), rs.getString(2), rs.getLong(3), split(rs.getBytes(4)), rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    // ---- pending events

    /** The logs with pending events, one index probe each (a skip scan), for PostgreSQL. */
    private static final String PENDING_LOGS_SKIP_SCAN = "WITH RECURSIVE logs (log_id) AS (SELECT MIN(log_id) FROM mamori_audit_pending "
            + "UNION ALL SELECT (SELECT MIN(p.log_id) FROM mamori_audit_pending p WHERE p.log_id > logs.log_id) FROM logs "
            + "WHERE logs.log_id IS NOT NULL) SELECT log_id FROM logs WHERE log_id IS NOT NULL";

    /**
     * @return the logs with pending events. On PostgreSQL found by the index one log after the
     *         other: its DISTINCT reads the whole queue table, whose file keeps the size of its
     *         largest backlog (after a burst, a 450 MB scan per integration pass). H2 skips
     *         through the index for a DISTINCT by itself, and runs the recursive query as scans
     *         (half a second with 200,000 rows pending).
     */
    static List<String> pendingLogs(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        boolean postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        try (PreparedStatement ps = c.prepareStatement(postgres ? PENDING_LOGS_SKIP_SCAN : "SELECT DISTINCT log_id FROM mamori_audit_pending");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static boolean hasPending(Connection c, String log) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mamori_audit_pending WHERE log_id = ? FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- leaves and tiles

    /** @return the leaf hashes of [from, to), from the entries or the pruned blocks */
    static List<byte[]> leafHashes(Connection c, String log, long from, long to, long prunedBefore) throws SQLException {
        List<byte[]> out = new ArrayList<>((int) (to - from));
        if (from < prunedBefore) {
            long first = from / Integrator.BLOCK;
            long last = (Math.min(to, prunedBefore) - 1) / Integrator.BLOCK;
            try (PreparedStatement ps = c.prepareStatement("SELECT block_no, hashes FROM mamori_audit_pruned WHERE log_id = ? "
                    + "AND block_no BETWEEN ? AND ? ORDER BY block_no")) {
                ps.setString(1, log);
                ps.setLong(2, first);
                ps.setLong(3, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long base = rs.getLong(1) * Integrator.BLOCK;
                        List<byte[]> block = split(rs.getBytes(2));
                        for (int i = 0; i < block.size(); i++) {
                            long idx = base + i;
                            if (idx >= from && idx < to && idx < prunedBefore) {
                                out.add(block.get(i));
                            }
                        }
                    }
                }
            }
        }
        long start = Math.max(from, prunedBefore);
        if (start < to) {
            try (PreparedStatement ps = c.prepareStatement("SELECT leaf_hash FROM mamori_audit_entry WHERE log_id = ? AND idx >= ? "
                    + "AND idx < ? ORDER BY idx")) {
                ps.setString(1, log);
                ps.setLong(2, start);
                ps.setLong(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getBytes(1));
                    }
                }
            }
        }
        if (out.size() != to - from) {
            throw new SQLException("The audit log " + log + " misses leaves in [" + from + ", " + to + ")", "22000");
        }
        return out;
    }

    /** @return the stored subtree hashes at a tile level for indexes [from, to) */
    static List<byte[]> tiles(Connection c, String log, int level, long from, long to) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM mamori_audit_tile WHERE log_id = ? AND lvl = ? AND idx >= ? "
                + "AND idx < ? ORDER BY idx")) {
            ps.setString(1, log);
            ps.setInt(2, level);
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        if (out.size() != to - from) {
            throw new SQLException("The audit log " + log + " misses subtree hashes at level " + level, "22000");
        }
        return out;
    }

    // ---- checkpoints

    static List<StoredCheckpoint> checkpoints(Connection c, String log) throws SQLException {
        List<StoredCheckpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash, signed_at, note FROM mamori_audit_checkpoint "
                + "WHERE log_id = ? ORDER BY tree_size")) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredCheckpoint(log, rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    static Optional<StoredCheckpoint> latestCheckpoint(Connection c, String log) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash, signed_at, note FROM mamori_audit_checkpoint "
                + "WHERE log_id = ? ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredCheckpoint(log, rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    /** Stores a checkpoint; false if one of that size exists (another node signed it first). */
    static boolean insertCheckpoint(Connection c, StoredCheckpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_audit_checkpoint (log_id, tree_size, root_hash, signed_at, note) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, cp.log());
            ps.setLong(2, cp.size());
            ps.setBytes(3, cp.root());
            ps.setLong(4, cp.signedAt());
            ps.setString(5, cp.note());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_audit_log SET checkpoint_size = ? WHERE log_id = ? "
                + "AND checkpoint_size < ?")) {
            ps.setLong(1, cp.size());
            ps.setString(2, cp.log());
            ps.setLong(3, cp.size());
            ps.executeUpdate();
        }
        return true;
    }

    // ---- helpers

    static <T> List<T> list(Connection c, String sql, List<Object> args, RowReader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
        }
        return out;
    }

    static byte[] join(List<byte[]> hashes) {
        byte[] out = new byte[hashes.size() * MerkleTree.HASH_SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, out, i * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
        }
        return out;
    }

    static List<byte[]> split(byte[] joined) {
        if (joined.length % MerkleTree.HASH_SIZE != 0) {
            throw new IllegalStateException("A list of hashes is a multiple of 32 bytes.");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < joined.length; i += MerkleTree.HASH_SIZE) {
            byte[] h = new byte[MerkleTree.HASH_SIZE];
            System.arraycopy(joined, i, h, 0, MerkleTree.HASH_SIZE);
            out.add(h);
        }
        return out;
    }
}
