package dev.mamori.records.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** Uploaded import files until their job has run: a row and its encrypted chunks; every statement names the tenant. */
final class ImportStore {
    private final Jdbc jdbc;
    final ChunkTable chunks;

    ImportStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.chunks = new ChunkTable(jdbc, "mamori_record_import_chunk", "import_id");
    }

    /** An upload. */
    record Row(String id, String category, String format, String charset, long size, Instant createdAt, String createdBy) {
    }

    void insert(String tenantId, Row r) {
        jdbc.sql("import insert", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record_import (tenant_id, id, category, format, charset, "
                    + "size_bytes, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, r.id());
                ps.setString(3, r.category());
                ps.setString(4, r.format());
                ps.setString(5, r.charset());
                ps.setLong(6, r.size());
                ps.setLong(7, r.createdAt().toEpochMilli());
                ps.setString(8, r.createdBy());
                return ps.executeUpdate();
            }
        });
    }

    void size(String tenantId, String id, long size) {
        jdbc.sql("import size", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record_import SET size_bytes = ? WHERE tenant_id = ? AND id = ?")) {
                ps.setLong(1, size);
                ps.setString(2, tenantId);
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }

    Optional<Row> find(String tenantId, String id) {
        return jdbc.sql("import read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, category, format, charset, size_bytes, created_at, created_by "
                    + "FROM mamori_record_import WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7))) : Optional.empty();
                }
            }
        });
    }

    /** Deletes an upload and its chunks (cascade). */
    void delete(String tenantId, String id) {
        jdbc.sql("import delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_record_import WHERE tenant_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** @return how many of the tenant's uploads older than {@code before} were deleted (abandoned imports) */
    int deleteOlderThan(String tenantId, Instant before) {
        return jdbc.sql("import cleanup", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_record_import WHERE tenant_id = ? AND created_at < ?")) {
                ps.setString(1, tenantId);
                ps.setLong(2, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
