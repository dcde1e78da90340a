package dev.mamori.records.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.mamori.records.CategoryCount;

/**
 * The records tables, in plain JDBC on the unit-of-work DataSource ({@code mamori-tx}): whatever a
 * service does here commits with its audit events or not at all. Every statement names the tenant
 * (the first column of every key), which the services take from the bound context only.
 */
final class RecordStore {
    static final String ROW_COLUMNS = "id, category, subject, scope, payload, version, created_at, created_by, updated_at, updated_by, "
            + "deleted_at, deleted_by, purge_after";

    private final Jdbc jdbc;

    RecordStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored record, payload still encrypted. */
    record Row(String id, String category, String subject, String scope, byte[] payload, long version, Instant createdAt,
            String createdBy, Instant updatedAt, String updatedBy, Instant deletedAt, String deletedBy, Instant purgeAfter,
            Set<String> labels) {
        boolean trashed() {
            return deletedAt != null;
        }
    }

    // --- records

    void insert(String tenantId, Row r) {
        jdbc.sql("record insert", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record (tenant_id, " + ROW_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)")) {
                ps.setString(1, tenantId);
                ps.setString(2, r.id());
                ps.setString(3, r.category());
                ps.setString(4, r.subject());
                ps.setString(5, r.scope());
                ps.setBytes(6, r.payload());
                ps.setLong(7, r.version());
                ps.setLong(8, r.createdAt().toEpochMilli());
                ps.setString(9, r.createdBy());
                ps.setLong(10, r.updatedAt().toEpochMilli());
                ps.setString(11, r.updatedBy());
                ps.executeUpdate();
            }
            writeLabels(c, tenantId, r.id(), r.labels());
            return null;
        });
    }

    /** @return whether the live row was at the expected version */
    boolean update(String tenantId, Row r, long expectedVersion) {
        return jdbc.sql("record update", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET scope = ?, payload = ?, version = ?, updated_at = ?, "
                    + "updated_by = ? WHERE tenant_id = ? AND id = ? AND version = ? AND deleted_at IS NULL")) {
                ps.setString(1, r.scope());
                ps.setBytes(2, r.payload());
                ps.setLong(3, r.version());
                ps.setLong(4, r.updatedAt().toEpochMilli());
                ps.setString(5, r.updatedBy());
                ps.setString(6, tenantId);
                ps.setString(7, r.id());
                ps.setLong(8, expectedVersion);
                n = ps.executeUpdate();
            }
            if (n == 1) {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM mamori_record_label WHERE tenant_id = ? AND record_id = ?")) {
                    del.setString(1, tenantId);
                    del.setString(2, r.id());
                    del.executeUpdate();
                }
                writeLabels(c, tenantId, r.id(), r.labels());
            }
            return n == 1;
        });
    }

    private static void writeLabels(Connection c, String tenantId, String id, Set<String> labels) throws SQLException {
        if (labels.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record_label (tenant_id, record_id, label) VALUES (?, ?, ?)")) {
            for (String l : labels) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setString(3, l);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * @param lock whether to hold the row until the unit ends (a change that checks, then writes)
     * @return the row, live or trashed
     */
    Optional<Row> row(String tenantId, String id, boolean lock) {
        return jdbc.sql("record read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM mamori_record WHERE tenant_id = ? AND id = ?"
                    + (lock ? " FOR UPDATE" : ""))) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(row(rs, labels(c, tenantId, id)));
                }
            }
        });
    }

    /**
     * Live rows matching the criteria, newest change first, after the cursor position.
     *
     * @return at most {@code max} rows
     */
    List<Row> search(String tenantId, String subject, String category, String label, Instant from, Instant until, Cursor after, int max) {
        StringBuilder q = new StringBuilder("SELECT ").append(prefixed()).append(" FROM mamori_record r WHERE r.tenant_id = ? "
                + "AND r.deleted_at IS NULL");
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        if (subject != null) {
            q.append(" AND r.subject = ?");
            args.add(subject);
        }
        if (category != null) {
            q.append(" AND r.category = ?");
            args.add(category);
        }
        if (label != null) {
            q.append(" AND EXISTS (SELECT 1 FROM mamori_record_label l WHERE l.tenant_id = r.tenant_id AND l.record_id = r.id "
                    + "AND l.label = ?)");
            args.add(label);
        }
        if (from != null) {
            q.append(" AND r.updated_at >= ?");
            args.add(from.toEpochMilli());
        }
        if (until != null) {
            q.append(" AND r.updated_at < ?");
            args.add(until.toEpochMilli());
        }
        if (after != null) {
            q.append(" AND (r.updated_at < ? OR r.updated_at = ? AND r.id < ?)");
            args.add(after.updatedAt());
            args.add(after.updatedAt());
            args.add(after.id());
        }
        q.append(" ORDER BY r.updated_at DESC, r.id DESC FETCH FIRST ? ROWS ONLY");
        args.add(max);
        return jdbc.sql("record search", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(q.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs, Set.of()));
                    }
                }
            }
            return withLabels(c, tenantId, out);
        });
    }

    /** A search position: the last row's change time and id. */
    record Cursor(long updatedAt, String id) {
    }

    /** @return trashed rows, oldest deletion first */
    List<Row> trash(String tenantId, int max) {
        return jdbc.sql("trash list", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM mamori_record WHERE tenant_id = ? "
                    + "AND deleted_at IS NOT NULL ORDER BY deleted_at, id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, tenantId);
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs, Set.of()));
                    }
                }
            }
            return out;
        });
    }

    /** @return whether the live row at that version moved to the trash */
    boolean trash(String tenantId, String id, long expectedVersion, Instant at, String by, Instant purgeAfter) {
        return jdbc.sql("record delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET deleted_at = ?, deleted_by = ?, purge_after = ? "
                    + "WHERE tenant_id = ? AND id = ? AND version = ? AND deleted_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, by);
                ps.setLong(3, purgeAfter.toEpochMilli());
                ps.setString(4, tenantId);
                ps.setString(5, id);
                ps.setLong(6, expectedVersion);
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean restore(String tenantId, String id) {
        return jdbc.sql("record restore", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET deleted_at = NULL, deleted_by = NULL, "
                    + "purge_after = NULL WHERE tenant_id = ? AND id = ? AND deleted_at IS NOT NULL")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Purges trashed rows for good and writes the ledger, in the caller's unit.
     *
     * @param ids    trashed records (others are left alone)
     * @param reason why (manual, expired, erasure)
     * @return the purged rows' categories, one entry per purged record
     */
    List<String> purge(String tenantId, List<String> ids, String reason, String actor, Instant at) {
        return jdbc.sql("record purge", c -> {
            List<String> categories = new ArrayList<>();
            try (PreparedStatement sel = c.prepareStatement("SELECT category FROM mamori_record WHERE tenant_id = ? AND id = ? "
                    + "AND deleted_at IS NOT NULL FOR UPDATE");
                    PreparedStatement delLabels = c.prepareStatement("DELETE FROM mamori_record_label WHERE tenant_id = ? AND record_id = ?");
                    PreparedStatement del = c.prepareStatement("DELETE FROM mamori_record WHERE tenant_id = ? AND id = ? "
                            + "AND deleted_at IS NOT NULL");
                    PreparedStatement ledger = c.prepareStatement("INSERT INTO mamori_purge_ledger (id, tenant_id, kind, target_id, "
                            + "category, reason, actor_id, purged_at) VALUES (?, ?, 'record', ?, ?, ?, ?, ?)")) {
                for (String id : ids) {
                    sel.setString(1, tenantId);
                    sel.setString(2, id);
                    String category;
                    try (ResultSet rs = sel.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        category = rs.getString(1);
                    }
                    delLabels.setString(1, tenantId);
                    delLabels.setString(2, id);
                    delLabels.executeUpdate();
                    del.setString(1, tenantId);
                    del.setString(2, id);
                    if (del.executeUpdate() != 1) {
                        continue;
                    }
                    ledger.setString(1, UUID.randomUUID().toString());
                    ledger.setString(2, tenantId);
                    ledger.setString(3, id);
                    ledger.setString(4, category);
                    ledger.setString(5, reason);
                    ledger.setString(6, actor);
                    ledger.setLong(7, at.toEpochMilli());
                    ledger.executeUpdate();
                    categories.add(category);
                }
            }
            return categories;
        });
    }

    /** @return ids of the tenant's trashed rows due for purging at {@code now}, at most {@code max} */
    List<String> due(String tenantId, Instant now, int max) {
        return ids("trash due", "SELECT id FROM mamori_record WHERE tenant_id = ? AND deleted_at IS NOT NULL AND purge_after <= ? "
                + "ORDER BY purge_after, id", tenantId, now.toEpochMilli(), max);
    }

    /** @return ids of every trashed row of the tenant, at most {@code max} */
    List<String> trashedIds(String tenantId, int max) {
        return ids("trash ids", "SELECT id FROM mamori_record WHERE tenant_id = ? AND deleted_at IS NOT NULL ORDER BY deleted_at, id",
                tenantId, null, max);
    }

    private List<String> ids(String what, String query, String tenantId, Long millis, int max) {
        return jdbc.sql(what, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(query + " FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, tenantId);
                if (millis != null) {
                    ps.setLong(2, millis);
                }
                ps.setInt(millis != null ? 3 : 2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** @return how many live records of the subject in the category moved to the trash */
    int trashSubject(String tenantId, String category, String subject, Instant at, String by, Instant purgeAfter) {
        return jdbc.sql("record erasure", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET deleted_at = ?, deleted_by = ?, purge_after = ? "
                    + "WHERE tenant_id = ? AND category = ? AND subject = ? AND deleted_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, by);
                ps.setLong(3, purgeAfter.toEpochMilli());
                ps.setString(4, tenantId);
                ps.setString(5, category);
                ps.setString(6, subject);
                return ps.executeUpdate();
            }
        });
    }

    /** @return how many records of the subject in the category, live or trashed, now name the pseudonym instead */
    int renameSubject(String tenantId, String category, String subject, String pseudonym) {
        return jdbc.sql("record erasure", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET subject = ? WHERE tenant_id = ? AND category = ? "
                    + "AND subject = ?")) {
                ps.setString(1, pseudonym);
                ps.setString(2, tenantId);
                ps.setString(3, category);
                ps.setString(4, subject);
                return ps.executeUpdate();
            }
        });
    }

    long countInCategory(String tenantId, String category) {
        return jdbc.sql("record count", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mamori_record WHERE tenant_id = ? AND category = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, category);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    List<CategoryCount> counts(String tenantId) {
        return jdbc.sql("record counts", c -> {
            Map<String, long[]> by = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT k.name, "
                    + "SUM(CASE WHEN r.id IS NOT NULL AND r.deleted_at IS NULL THEN 1 ELSE 0 END), "
                    + "SUM(CASE WHEN r.deleted_at IS NOT NULL THEN 1 ELSE 0 END) FROM mamori_record_category k "
                    + "LEFT JOIN mamori_record r ON r.tenant_id = k.tenant_id AND r.category = k.name WHERE k.tenant_id = ? "
                    + "GROUP BY k.name ORDER BY k.name")) {
                ps.setString(1, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        by.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            List<CategoryCount> out = new ArrayList<>();
            by.forEach((k, v) -> out.add(new CategoryCount(k, v[0], v[1])));
            return out;
        });
    }

    /** Rows after the cursor (by id) for re-encryption, live and trashed. */
    List<Row> page(String tenantId, String afterId, int max) {
        return jdbc.sql("record page", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM mamori_record WHERE tenant_id = ? AND id > ? "
                    + "ORDER BY id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, tenantId);
                ps.setString(2, afterId);
                ps.setInt(3, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs, Set.of()));
                    }
                }
            }
            return out;
        });
    }

    /** Rows after the cursor (by id) with their labels, live and trashed: an export's page, labels in one query per page. */
    List<Row> exportPage(String tenantId, String afterId, int max) {
        List<Row> rows = page(tenantId, afterId, max);
        if (rows.isEmpty()) {
            return rows;
        }
        return jdbc.sql("record labels", c -> {
            java.util.Map<String, Set<String>> labels = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT record_id, label FROM mamori_record_label WHERE tenant_id = ? "
                    + "AND record_id > ? AND record_id <= ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, afterId);
                ps.setString(3, rows.get(rows.size() - 1).id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        labels.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                    }
                }
            }
            List<Row> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Row(r.id(), r.category(), r.subject(), r.scope(), r.payload(), r.version(), r.createdAt(), r.createdBy(),
                        r.updatedAt(), r.updatedBy(), r.deletedAt(), r.deletedBy(), r.purgeAfter(), labels.getOrDefault(r.id(), Set.of())));
            }
            return out;
        });
    }

    /** Replaces a payload without a new version (re-encryption: same plaintext, same associated data). */
    boolean replacePayload(String tenantId, String id, long version, byte[] payload) {
        return jdbc.sql("record re-encrypt", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record SET payload = ? WHERE tenant_id = ? AND id = ? "
                    + "AND version = ?")) {
                ps.setBytes(1, payload);
                ps.setString(2, tenantId);
                ps.setString(3, id);
                ps.setLong(4, version);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static String prefixed() {
        StringBuilder b = new StringBuilder();
        for (String col : ROW_COLUMNS.split(", ")) {
            b.append(b.length() == 0 ? "" : ", ").append("r.").append(col);
        }
        return b.toString();
    }

    private static Row row(ResultSet rs, Set<String> labels) throws SQLException {
        long deleted = rs.getLong(11);
        boolean trashed = !rs.wasNull();
        long purge = rs.getLong(13);
        boolean hasPurge = !rs.wasNull();
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getLong(6),
                Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10),
                trashed ? Instant.ofEpochMilli(deleted) : null, rs.getString(12), hasPurge ? Instant.ofEpochMilli(purge) : null, labels);
    }

    private static Set<String> labels(Connection c, String tenantId, String id) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT label FROM mamori_record_label WHERE tenant_id = ? AND record_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<Row> withLabels(Connection c, String tenantId, List<Row> rows) throws SQLException {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Row(r.id(), r.category(), r.subject(), r.scope(), r.payload(), r.version(), r.createdAt(), r.createdBy(),
                    r.updatedAt(), r.updatedBy(), r.deletedAt(), r.deletedBy(), r.purgeAfter(), labels(c, tenantId, r.id())));
        }
        return out;
    }
}
