package dev.mamori.retention.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mamori.platform.db.Sql;
import dev.mamori.retention.HoldScope;
import dev.mamori.retention.LegalHold;

/** Legal holds in mamori_legal_hold; a release is written on the row, which is never deleted. */
final class HoldStore {
    private static final String COLUMNS = "id, tenant_id, scope, val, reason, placed_by, placed_at, released_by, released_at, release_reason";
    private final Sql sql;

    HoldStore(Sql sql) {
        this.sql = sql;
    }

    void insert(LegalHold h, String placedByKind) {
        sql.run("place a legal hold", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_legal_hold (id, tenant_id, scope, val, reason, placed_by, "
                    + "placed_by_kind, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, h.id());
                ps.setString(2, h.tenantId());
                ps.setString(3, h.scope().name());
                if (h.value() == null) {
                    ps.setNull(4, Types.VARCHAR);
                } else {
                    ps.setString(4, h.value());
                }
                ps.setString(5, h.reason());
                ps.setString(6, h.placedBy());
                ps.setString(7, placedByKind);
                ps.setLong(8, h.placedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** @return whether it was in force and is released now (false: released meanwhile) */
    boolean release(String id, String by, Instant at, String reason) {
        return sql.run("release a legal hold", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_legal_hold SET released_by = ?, released_at = ?, "
                    + "release_reason = ? WHERE id = ? AND released_at IS NULL")) {
                ps.setString(1, by);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, reason);
                ps.setString(4, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A hold and the kind of account that placed it. */
    record Placed(LegalHold hold, String placedByKind) {
    }

    Optional<Placed> find(String id) {
        return sql.run("read a legal hold", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", placed_by_kind FROM mamori_legal_hold WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Placed(hold(rs), rs.getString(11))) : Optional.empty();
                }
            }
        });
    }

    /** @return a tenant's holds (or every tenant's for null), newest first, at most {@code limit} */
    List<LegalHold> list(String tenantId, boolean released, int limit) {
        return sql.run("read legal holds", c -> {
            String where = (tenantId == null ? "WHERE 1 = 1" : "WHERE tenant_id = ?") + (released ? "" : " AND released_at IS NULL");
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_legal_hold " + where
                    + " ORDER BY placed_at DESC, id FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                if (tenantId != null) {
                    ps.setString(i++, tenantId);
                }
                ps.setInt(i, limit);
                List<LegalHold> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(hold(rs));
                    }
                }
                return out;
            }
        });
    }

    /** @return the first hold in force covering the tenant, or the category or subject in it */
    Optional<String> holding(String tenantId, String category, String subject) {
        return sql.run("check legal holds", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mamori_legal_hold WHERE tenant_id = ? AND released_at IS NULL "
                    + "AND (scope = 'TENANT' OR (scope = 'CATEGORY' AND val = ?) OR (scope = 'SUBJECT' AND val = ?)) "
                    + "ORDER BY placed_at, id FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, tenantId);
                // a null never equals: no category or subject asked, only the tenant's own holds count
                ps.setString(2, category == null ? "" : category);
                ps.setString(3, subject == null ? "" : subject);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private static LegalHold hold(ResultSet rs) throws SQLException {
        long released = rs.getLong(9);
        boolean isReleased = !rs.wasNull();
        return new LegalHold(rs.getString(1), rs.getString(2), HoldScope.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), isReleased ? Instant.ofEpochMilli(released) : null,
                rs.getString(10));
    }
}
