package dev.mamori.audit.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mamori.audit.proof.CanonicalEntry;
import dev.mamori.audit.proof.MerkleFrontier;
import dev.mamori.audit.proof.MerkleTree;

/**
 * Moves recorded events into their log's Merkle tree, in batches (group commit of the tree: one
 * transaction appends many leaves, their subtree tiles and the new right edge). Events were made
 * durable with their action (the pending table); here they get their index, in the order they were
 * recorded. The log head's row lock makes one integration per log at a time across nodes.
 */
final class Integrator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Integrator.class);
    /** Leaves per pruned block and per first tile. */
    static final int BLOCK = 256;
    /** Tiles are kept every this many levels (8, 16, 24...). */
    static final int TILE_STRIDE = 8;
    /** Most events one transaction integrates. */
    static final int BATCH = 2000;
    /** Rows of the leaves' INSERT statements, largest first (each size one prepared statement). */
    private static final int[] ENTRY_ROWS = {250, 25, 1};

    /** Pending rows of one batch. */
    private record Pending(long seq, byte[] event, long occurredAt, String action, String actorId, String outcome) {
    }

    private final AuditStore store;
    private final Clock clock;
    private final String originPrefix;
    private final Object lock = new Object();

    /**
     * @param store        the tables
     * @param clock        the platform clock
     * @param originPrefix the checkpoint origin before the log id, e.g. {@code mamori.local/audit}
     */
    Integrator(AuditStore store, Clock clock, String originPrefix) {
        this.store = store;
        this.clock = clock;
        this.originPrefix = originPrefix;
    }

    String origin(String log) {
        return originPrefix + "/" + log;
    }

    /** @return every log that grew, with its new size */
    Map<String, Long> integrateAll() {
        Map<String, Long> grown = new LinkedHashMap<>();
        synchronized (lock) {
            for (String log : store.read(AuditStore::pendingLogs)) {
                try {
                    long size = integrateLocked(log);
                    if (size >= 0) {
                        grown.put(log, size);
                    }
                } catch (RuntimeException e) {
                    // one damaged log must not hold back the others: its events stay pending, the error alerts operators
                    LOG.error("Audit log {} could not integrate its pending events; the other logs go on", log, e);
                }
            }
        }
        return grown;
    }

    /** @return the log's size once everything pending was integrated, or -1 if nothing was */
    long integrate(String log) {
        // a read (a search, a proof) integrates first: with nothing pending, it locks nothing and commits nothing (locking
        // the head would make its transaction one that waits for the disk when it commits)
        if (!store.read(c -> AuditStore.hasPending(c, log))) {
            return -1;
        }
        synchronized (lock) {
            return integrateLocked(log);
        }
    }

    private long integrateLocked(String log) {
        long size = -1;
        while (true) {
            long[] result = store.inTransaction(c -> batch(c, log));
            if (result[0] == 0) {
                return size;
            }
            size = result[1];
            if (result[0] < BATCH) {
                return size;
            }
        }
    }

    /** @return {integrated, new size} */
    private long[] batch(Connection c, String log) throws SQLException {
        AuditStore.Head head = AuditStore.head(c, log, true).orElse(null);
        if (head == null) {
            // a head of its own commit (another node may make it at the same time), then lock it
            store.inTransaction(n -> AuditStore.createHead(n, log, origin(log), clock.millis()));
            head = AuditStore.head(c, log, true).orElseThrow();
        }
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_bytes, occurred_at, action, actor_id, outcome "
                + "FROM mamori_audit_pending WHERE log_id = ? ORDER BY seq FETCH FIRST " + BATCH + " ROWS ONLY")) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(new Pending(rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        if (pending.isEmpty()) {
            return new long[] {0, head.size()};
        }
        MerkleFrontier frontier = MerkleFrontier.of(head.size(), head.peaks());
        List<Object[]> entries = new ArrayList<>(pending.size());
        try (PreparedStatement tile = c.prepareStatement("INSERT INTO mamori_audit_tile (log_id, lvl, idx, hash) VALUES (?, ?, ?, ?)")) {
            for (Pending p : pending) {
                long index = frontier.size();
                byte[] canonical = CanonicalEntry.canonical(log, index, new String(p.event(), StandardCharsets.UTF_8));
                byte[] leaf = MerkleTree.leafHash(canonical);
                long newSize = frontier.append(leaf, (hash, level) -> {
                    if (level > 0 && level % TILE_STRIDE == 0) {
                        try {
                            tile.setString(1, log);
                            tile.setInt(2, level);
                            tile.setLong(3, ((index + 1) >> level) - 1);
                            tile.setBytes(4, hash);
                            tile.addBatch();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                assert newSize == index + 1;
                entries.add(new Object[] {log, index, leaf, canonical, p.occurredAt(), p.action(), p.actorId(), p.outcome()});
            }
            insertEntries(c, entries);
            tile.executeBatch();
        }
        deletePending(c, log, pending);
        AuditStore.updateHead(c, log, frontier.size(), frontier.peaks(), clock.millis());
        return new long[] {pending.size(), frontier.size()};
    }

    /**
     * The leaves, in multi-row INSERTs of {@link #ENTRY_ROWS} rows and fewer for the rest: one
     * statement for many rows costs the database far less than a statement per row.
     */
    private static void insertEntries(Connection c, List<Object[]> rows) throws SQLException {
        int at = 0;
        for (int chunk : ENTRY_ROWS) {
            int statements = (rows.size() - at) / chunk;
            if (statements == 0) {
                continue;
            }
            StringBuilder sql = new StringBuilder("INSERT INTO mamori_audit_entry (log_id, idx, leaf_hash, entry_bytes, occurred_at, action, "
                    + "actor_id, outcome) VALUES ");
            for (int i = 0; i < chunk; i++) {
                sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?)");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int s = 0; s < statements; s++) {
                    int p = 0;
                    for (int i = 0; i < chunk; i++) {
                        Object[] r = rows.get(at++);
                        ps.setString(++p, (String) r[0]);
                        ps.setLong(++p, (Long) r[1]);
                        ps.setBytes(++p, (byte[]) r[2]);
                        ps.setBytes(++p, (byte[]) r[3]);
                        ps.setLong(++p, (Long) r[4]);
                        ps.setString(++p, (String) r[5]);
                        ps.setString(++p, (String) r[6]);
                        ps.setString(++p, (String) r[7]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * Deletes the integrated pending rows: a run of consecutive sequence numbers (all of them in
     * the batch, so nothing another transaction wrote) with one range each.
     */
    private static void deletePending(Connection c, String log, List<Pending> pending) throws SQLException {
        long[] seqs = pending.stream().mapToLong(Pending::seq).sorted().toArray();
        List<long[]> runs = new ArrayList<>();
        for (int i = 0; i < seqs.length;) {
            int j = i;
            while (j + 1 < seqs.length && seqs[j + 1] == seqs[j] + 1) {
                j++;
            }
            runs.add(new long[] {seqs[i], seqs[j]});
            i = j + 1;
        }
        try (PreparedStatement done = c.prepareStatement("DELETE FROM mamori_audit_pending WHERE seq BETWEEN ? AND ?")) {
            for (long[] run : runs) {
                done.setLong(1, run[0]);
                done.setLong(2, run[1]);
                done.addBatch();
            }
            int[] deleted = done.executeBatch();
            for (int k = 0; k < deleted.length; k++) {
                if (deleted[k] != Statement.SUCCESS_NO_INFO && deleted[k] != runs.get(k)[1] - runs.get(k)[0] + 1) {
                    // another node integrated them meanwhile (it cannot while we hold the head): refuse twice-logged entries
                    throw new SQLException("A pending audit event vanished during integration of log " + log, "40001");
                }
            }
        }
    }
}
