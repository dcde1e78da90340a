package dev.mamori.records.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mamori.records.Category;
import dev.mamori.records.ErasurePolicy;

/** The category table, in the caller's unit of work; every statement names the tenant. */
final class CategoryStore {
    private static final String CATEGORY_COLUMNS = "name, title, schema_json, retention_days, on_erasure, version, created_at, updated_at";
    private final Jdbc jdbc;

    CategoryStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Category> find(String tenantId, String name) {
        return jdbc.sql("category read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CATEGORY_COLUMNS
                    + " FROM mamori_record_category WHERE tenant_id = ? AND name = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(category(rs)) : Optional.empty();
                }
            }
        });
    }

    List<Category> list(String tenantId) {
        return jdbc.sql("category list", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CATEGORY_COLUMNS
                    + " FROM mamori_record_category WHERE tenant_id = ? ORDER BY name")) {
                ps.setString(1, tenantId);
                List<Category> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(category(rs));
                    }
                }
                return out;
            }
        });
    }

    void insert(String tenantId, Category k) {
        jdbc.sql("category insert", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_record_category (tenant_id, " + CATEGORY_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, k.name());
                ps.setString(3, k.title());
                ps.setString(4, k.schema());
                setInt(ps, 5, k.retentionDays());
                ps.setString(6, k.onErasure().name());
                ps.setLong(7, k.version());
                ps.setLong(8, k.createdAt().toEpochMilli());
                ps.setLong(9, k.updatedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** @return whether the row was at the expected version */
    boolean update(String tenantId, Category k, long expectedVersion) {
        return jdbc.sql("category update", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_record_category SET title = ?, schema_json = ?, "
                    + "retention_days = ?, on_erasure = ?, version = ?, updated_at = ? WHERE tenant_id = ? AND name = ? AND version = ?")) {
                ps.setString(1, k.title());
                ps.setString(2, k.schema());
                setInt(ps, 3, k.retentionDays());
                ps.setString(4, k.onErasure().name());
                ps.setLong(5, k.version());
                ps.setLong(6, k.updatedAt().toEpochMilli());
                ps.setString(7, tenantId);
                ps.setString(8, k.name());
                ps.setLong(9, expectedVersion);
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean delete(String tenantId, String name) {
        return jdbc.sql("category delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_record_category WHERE tenant_id = ? AND name = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Category category(ResultSet rs) throws SQLException {
        int days = rs.getInt(4);
        Integer retention = rs.wasNull() ? null : days;
        return new Category(rs.getString(1), rs.getString(2), rs.getString(3), retention, ErasurePolicy.valueOf(rs.getString(5)),
                rs.getLong(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
