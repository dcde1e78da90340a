package dev.mamori.records.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The attachment table, in the caller's unit of work (or a pooled connection outside one); every statement names the tenant. */
final class AttachmentStore {
    private static final String COLUMNS = "id, record_id, media_type, size_bytes, meta, gen, created_at, created_by";
    private final Jdbc jdbc;
    /** The content: the vault's encrypted stream in chunk rows, one generation per encryption. */
    final ChunkTable chunks;

    AttachmentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.chunks = new ChunkTable(jdbc, "mamori_record_attachment_chunk", "attachment_id");
    }

    /** A stored attachment, name and hash still encrypted in {@code meta}. */
    record Row(String id, String recordId, String mediaType, long size, byte[] meta, int gen, Instant createdAt, String createdBy) {
    }

    void insert(String tenantId, Row r) {
        jdbc.sql("attachment insert", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record_attachment (tenant_id, " + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, r.id());
                ps.setString(3, r.recordId());
                ps.setString(4, r.mediaType());
                ps.setLong(5, r.size());
                ps.setBytes(6, r.meta());
                ps.setInt(7, r.gen());
                ps.setLong(8, r.createdAt().toEpochMilli());
                ps.setString(9, r.createdBy());
                return ps.executeUpdate();
            }
        });
    }

    /** Sets what is known once the content is written, or re-encrypted. */
    void finish(String tenantId, String id, long size, byte[] meta, int gen) {
        jdbc.sql("attachment finish", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record_attachment SET size_bytes = ?, meta = ?, gen = ? "
                    + "WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, size);
                ps.setBytes(2, meta);
                ps.setInt(3, gen);
                ps.setString(4, tenantId);
                ps.setString(5, id);
                return ps.executeUpdate();
            }
        });
    }

    List<Row> list(String tenantId, String recordId) {
        return rows("SELECT " + COLUMNS + " FROM mamori_record_attachment WHERE tenant_id = ? AND record_id = ? ORDER BY created_at, id",
                tenantId, recordId, Integer.MAX_VALUE);
    }

    Optional<Row> find(String tenantId, String recordId, String id) {
        return jdbc.sql("attachment read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_record_attachment WHERE tenant_id = ? "
                    + "AND record_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, recordId);
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Attachments after {@code afterId} in id order, for re-encryption. */
    List<Row> page(String tenantId, String afterId, int max) {
        return rows("SELECT " + COLUMNS + " FROM mamori_record_attachment WHERE tenant_id = ? AND id > ? ORDER BY id", tenantId, afterId,
                max);
    }

    boolean delete(String tenantId, String recordId, String id) {
        // its chunks go with it (ON DELETE CASCADE)
        return jdbc.sql("attachment delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_record_attachment WHERE tenant_id = ? AND record_id = ? "
                    + "AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, recordId);
                ps.setString(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private List<Row> rows(String sql, String tenantId, String second, int max) {
        return jdbc.sql("attachment list", c -> {
            List<Row> out = new ArrayList<>();
            // a limit in the SQL, not setMaxRows: PostgreSQL plans for every row otherwise (a sort of the whole table per page)
            try (PreparedStatement ps = c.prepareStatement(max < Integer.MAX_VALUE ? sql + " FETCH FIRST ? ROWS ONLY" : sql)) {
                ps.setString(1, tenantId);
                ps.setString(2, second);
                if (max < Integer.MAX_VALUE) {
                    ps.setInt(3, max);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            }
            return out;
        });
    }

    private static Row row(ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5), rs.getInt(6),
                Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8));
    }
}
