package dev.mamori.notification.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;

/** Announcements, what they were addressed to and the tenants they went to. */
final class AnnouncementStore {
    private static final String COLUMNS = "a.id, a.kind, a.title, a.body, a.all_tenants, a.send_at, a.sent_at, a.cancelled_at, "
            + "a.recipients, a.maintenance_start, a.maintenance_end, a.created_at";
    private final Jdbc jdbc;

    AnnouncementStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Announcement a, String createdBy) {
        jdbc.sql("write an announcement", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_announcement (id, kind, title, body, all_tenants, send_at, "
                    + "recipients, maintenance_start, maintenance_end, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")) {
                ps.setString(1, a.id());
                ps.setString(2, a.kind().name());
                ps.setString(3, a.title());
                ps.setString(4, a.body());
                ps.setBoolean(5, a.allTenants());
                ps.setLong(6, a.sendAt().toEpochMilli());
                instant(ps, 7, a.maintenanceStart());
                instant(ps, 8, a.maintenanceEnd());
                ps.setLong(9, a.createdAt().toEpochMilli());
                ps.setString(10, createdBy);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_announcement_target (announcement_id, kind, target) "
                    + "VALUES (?, ?, ?)")) {
                for (String t : a.tenants()) {
                    ps.setString(1, a.id());
                    ps.setString(2, "tenant");
                    ps.setString(3, t);
                    ps.addBatch();
                }
                for (String p : a.plans()) {
                    ps.setString(1, a.id());
                    ps.setString(2, "plan");
                    ps.setString(3, p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    Optional<Announcement> find(String id, boolean lock) {
        List<Announcement> l = query("WHERE a.id = ?" + (lock ? " FOR UPDATE" : ""), id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** @return announcements due to go out, oldest first */
    List<String> due(Instant now, int limit) {
        return jdbc.sql("read due announcements", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mamori_announcement WHERE sent_at IS NULL AND cancelled_at IS NULL "
                    + "AND send_at <= ? ORDER BY send_at, id FETCH FIRST ? ROWS ONLY")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    List<Announcement> all(int limit) {
        return query("ORDER BY a.send_at DESC, a.id FETCH FIRST " + limit + " ROWS ONLY");
    }

    /** @return those sent to the tenant, newest first */
    List<Announcement> sentTo(String tenantId, int limit) {
        return query("JOIN mamori_announcement_tenant t ON t.announcement_id = a.id WHERE t.tenant_id = ? ORDER BY a.sent_at DESC, a.id "
                + "FETCH FIRST " + limit + " ROWS ONLY", tenantId);
    }

    void sent(String id, List<String> tenants, Instant at) {
        jdbc.sql("record an announcement sent", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_announcement_tenant (announcement_id, tenant_id) VALUES (?, ?)")) {
                for (String t : tenants) {
                    ps.setString(1, id);
                    ps.setString(2, t);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_announcement SET sent_at = ?, recipients = ? WHERE id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setInt(2, tenants.size());
                ps.setString(3, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    boolean cancel(String id, Instant at) {
        return jdbc.sql("cancel an announcement", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_announcement SET cancelled_at = ? WHERE id = ? AND sent_at IS NULL "
                    + "AND cancelled_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A maintenance window that went out, and whether it was for every tenant. */
    record Window(Instant start, Instant end, boolean allTenants) {
    }

    /**
     * @param tenantId a tenant, or null for the windows announced to every tenant
     * @param notice   how long before its window an announcement must have gone out to count
     * @return the maintenance windows sent (to that tenant) at least {@code notice} before they began,
     *         overlapping [from, to): one announced late (the announcements job did not run in time)
     *         is not maintenance, it is downtime
     */
    List<Window> maintenance(String tenantId, Instant from, Instant to, java.time.Duration notice) {
        return jdbc.sql("read maintenance windows", c -> {
            String sql = "SELECT a.maintenance_start, a.maintenance_end, a.all_tenants FROM mamori_announcement a "
                    + (tenantId == null ? "WHERE a.all_tenants = TRUE AND " : "JOIN mamori_announcement_tenant t ON t.announcement_id = a.id "
                            + "WHERE t.tenant_id = ? AND ")
                    + "a.kind = 'MAINTENANCE' AND a.sent_at IS NOT NULL AND a.sent_at <= a.maintenance_start - ? "
                    + "AND a.maintenance_start < ? AND a.maintenance_end > ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (tenantId != null) {
                    ps.setString(i++, tenantId);
                }
                ps.setLong(i++, notice.toMillis());
                ps.setLong(i++, to.toEpochMilli());
                ps.setLong(i, from.toEpochMilli());
                List<Window> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Window(Instant.ofEpochMilli(rs.getLong(1)), Instant.ofEpochMilli(rs.getLong(2)), rs.getBoolean(3)));
                    }
                }
                return out;
            }
        });
    }

    private List<Announcement> query(String tail, String... args) {
        return jdbc.sql("read announcements", c -> {
            Map<String, Object[]> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_announcement a " + tail)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] r = new Object[12];
                        for (int k = 0; k < 12; k++) {
                            r[k] = rs.getObject(k + 1);
                        }
                        rows.put(rs.getString(1), r);
                    }
                }
            }
            List<Announcement> out = new ArrayList<>();
            for (Object[] r : rows.values()) {
                List<String> tenants = new ArrayList<>();
                List<String> plans = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT kind, target FROM mamori_announcement_target WHERE announcement_id = ? "
                        + "ORDER BY kind, target")) {
                    ps.setString(1, (String) r[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            (rs.getString(1).equals("plan") ? plans : tenants).add(rs.getString(2));
                        }
                    }
                }
                out.add(new Announcement((String) r[0], AnnouncementKind.valueOf((String) r[1]), (String) r[2], (String) r[3],
                        Boolean.TRUE.equals(r[4]), tenants, plans, at(r[5]), at(r[6]), at(r[7]), ((Number) r[8]).intValue(), at(r[9]),
                        at(r[10]), at(r[11])));
            }
            return out;
        });
    }

    private static Instant at(Object v) {
        return v == null ? null : Instant.ofEpochMilli(((Number) v).longValue());
    }

    private static void instant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.toEpochMilli());
        }
    }
}
