package dev.mamori.notification.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mamori.notification.IncidentStatus;

/** Incidents, their affected tenants and the alerts their clocks raised. */
final class IncidentStore {
    private static final String COLUMNS = "id, title, status, discovered_at, opened_at, summary, cause, response, unlawful, all_tenants, "
            + "notices_sent, last_update_at, closed_at, version";
    private final Jdbc jdbc;

    IncidentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** An incident as stored, with its tenant counts. */
    record Row(String id, String title, IncidentStatus status, Instant discoveredAt, Instant openedAt, String summary, String cause,
            String response, boolean unlawful, boolean allTenants, int noticesSent, Instant lastUpdateAt, Instant closedAt, long version,
            int tenants, int noticed, Instant lastNoticedAt, Instant outageStart, Instant outageEnd, List<String> categories) {
        /** @return this row with another outage window */
        Row withOutage(Instant start, Instant end) {
            return new Row(id, title, status, discoveredAt, openedAt, summary, cause, response, unlawful, allTenants, noticesSent,
                    lastUpdateAt, closedAt, version, tenants, noticed, lastNoticedAt, start, end, categories);
        }
    }

    void insert(Row r, String openedBy, List<String> tenantIds, Instant now) {
        jdbc.sql("open an incident", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_incident (" + COLUMNS + ", opened_by, updated_at, "
                    + "affected_categories) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, 1, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.title());
                ps.setString(3, r.status().name());
                ps.setLong(4, r.discoveredAt().toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                ps.setString(6, r.summary());
                ps.setString(7, r.cause());
                ps.setString(8, r.response());
                ps.setBoolean(9, r.unlawful());
                ps.setBoolean(10, r.allTenants());
                ps.setString(11, openedBy);
                ps.setLong(12, now.toEpochMilli());
                ps.setString(13, r.categories().isEmpty() ? null : String.join(",", r.categories()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_incident_tenant (incident_id, tenant_id) VALUES (?, ?)")) {
                for (String t : tenantIds) {
                    ps.setString(1, r.id());
                    ps.setString(2, t);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    Optional<Row> find(String id, boolean lock) {
        return jdbc.sql("read an incident", c -> {
            try (PreparedStatement ps = c.prepareStatement(select("WHERE i.id = ?") + (lock ? " FOR UPDATE" : ""))) {
                ps.setString(1, id);
                List<Row> rows = rows(ps);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    List<Row> list(boolean openOnly) {
        return jdbc.sql("list incidents", c -> {
            try (PreparedStatement ps = c.prepareStatement(select(openOnly ? "WHERE i.status IN ('SUSPECTED', 'CONFIRMED') "
                    + "OR (i.status = 'RESOLVED' AND EXISTS (SELECT 1 FROM mamori_incident_tenant p WHERE p.incident_id = i.id AND "
                    + "p.noticed_at IS NULL))" : "") + " ORDER BY i.discovered_at DESC, i.id FETCH FIRST 500 ROWS ONLY")) {
                return rows(ps);
            }
        });
    }

    private static String select(String where) {
        // counts without GROUP BY over every column: one sub-select each (the tenants of one incident are few or all)
        return "SELECT i.id, i.title, i.status, i.discovered_at, i.opened_at, i.summary, i.cause, i.response, i.unlawful, i.all_tenants, "
                + "i.notices_sent, i.last_update_at, i.closed_at, i.version, "
                + "(SELECT COUNT(*) FROM mamori_incident_tenant t WHERE t.incident_id = i.id), "
                + "(SELECT COUNT(t.noticed_at) FROM mamori_incident_tenant t WHERE t.incident_id = i.id), "
                + "(SELECT MAX(t.noticed_at) FROM mamori_incident_tenant t WHERE t.incident_id = i.id), i.outage_start, i.outage_end, i.affected_categories "
                + "FROM mamori_incident i " + where;
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Long last = rs.getObject(12, Long.class);
                Long closed = rs.getObject(13, Long.class);
                Long lastNoticed = rs.getObject(17, Long.class);
                Long outageStart = rs.getObject(18, Long.class);
                Long outageEnd = rs.getObject(19, Long.class);
                String categories = rs.getString(20);
                out.add(new Row(rs.getString(1), rs.getString(2), IncidentStatus.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                        rs.getBoolean(10), rs.getInt(11), last == null ? null : Instant.ofEpochMilli(last),
                        closed == null ? null : Instant.ofEpochMilli(closed), rs.getLong(14), rs.getInt(15), rs.getInt(16),
                        lastNoticed == null ? null : Instant.ofEpochMilli(lastNoticed),
                        outageStart == null ? null : Instant.ofEpochMilli(outageStart), outageEnd == null ? null : Instant.ofEpochMilli(outageEnd),
                        categories == null || categories.isEmpty() ? List.of() : List.of(categories.split(","))));
            }
        }
        return out;
    }

    /** @return whether the row was at that version (and is now changed) */
    boolean update(Row r, long expectedVersion, Instant now) {
        return jdbc.sql("change an incident", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_incident SET status = ?, summary = ?, cause = ?, response = ?, "
                    + "unlawful = ?, notices_sent = ?, last_update_at = ?, closed_at = ?, version = version + 1, updated_at = ?, "
                    + "outage_start = ?, outage_end = ? WHERE id = ? AND version = ?")) {
                ps.setString(1, r.status().name());
                ps.setString(2, r.summary());
                ps.setString(3, r.cause());
                ps.setString(4, r.response());
                ps.setBoolean(5, r.unlawful());
                ps.setInt(6, r.noticesSent());
                setInstant(ps, 7, r.lastUpdateAt());
                setInstant(ps, 8, r.closedAt());
                ps.setLong(9, now.toEpochMilli());
                setInstant(ps, 10, r.outageStart());
                setInstant(ps, 11, r.outageEnd());
                ps.setString(12, r.id());
                ps.setLong(13, expectedVersion);
                return ps.executeUpdate() == 1;
            }
        });
    }

    List<String> tenants(String incidentId) {
        return jdbc.sql("read an incident's tenants", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM mamori_incident_tenant WHERE incident_id = ? "
                    + "ORDER BY tenant_id")) {
                ps.setString(1, incidentId);
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

    /** An outage window of an incident, with the tenants it affected. */
    record Outage(Instant start, Instant end, List<String> tenants) {
    }

    /** @return outages overlapping [from, to) that affected the tenant */
    List<Outage> outages(String tenantId, Instant from, Instant to) {
        return jdbc.sql("read outages", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.outage_start, i.outage_end FROM mamori_incident i JOIN "
                    + "mamori_incident_tenant t ON t.incident_id = i.id WHERE t.tenant_id = ? AND i.outage_start IS NOT NULL AND "
                    + "i.outage_start < ? AND (i.outage_end IS NULL OR i.outage_end > ?)")) {
                ps.setString(1, tenantId);
                ps.setLong(2, to.toEpochMilli());
                ps.setLong(3, from.toEpochMilli());
                List<Outage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long end = rs.getObject(2, Long.class);
                        out.add(new Outage(Instant.ofEpochMilli(rs.getLong(1)), end == null ? to : Instant.ofEpochMilli(end), List.of(tenantId)));
                    }
                }
                return out;
            }
        });
    }

    /** @return when the tenant's first notice e-mail went out, if it did */
    Optional<Instant> noticedAt(String incidentId, String tenantId) {
        return jdbc.sql("read a notice time", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT noticed_at FROM mamori_incident_tenant WHERE incident_id = ? AND tenant_id = ?")) {
                ps.setString(1, incidentId);
                ps.setString(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    Long v = rs.next() ? rs.getObject(1, Long.class) : null;
                    return Optional.ofNullable(v).map(Instant::ofEpochMilli);
                }
            }
        });
    }

    /** Tenants' first e-mails of incidents went out: pairs of incident and tenant, in one round trip. */
    void noticedAll(List<String[]> incidentTenant, Instant at) {
        if (incidentTenant.isEmpty()) {
            return;
        }
        jdbc.sql("record notices", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_incident_tenant SET noticed_at = ? WHERE incident_id = ? "
                    + "AND tenant_id = ? AND noticed_at IS NULL")) {
                for (String[] p : incidentTenant) {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, p[0]);
                    ps.setString(3, p[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A tenant's first e-mail of the incident went out. */
    void noticed(String incidentId, String tenantId, Instant at) {
        jdbc.sql("record a notice", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_incident_tenant SET noticed_at = ? WHERE incident_id = ? "
                    + "AND tenant_id = ? AND noticed_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, incidentId);
                ps.setString(3, tenantId);
                return ps.executeUpdate();
            }
        });
    }

    /** @return whether this alert is new (false: it was raised before) */
    boolean alert(String incidentId, String clock, Instant dueAt, int thresholdMinutes, Instant now) {
        return jdbc.sql("record an alert", c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM mamori_incident_alert WHERE incident_id = ? AND clock = ? "
                    + "AND due_at = ? AND threshold_minutes = ?")) {
                check.setString(1, incidentId);
                check.setString(2, clock);
                check.setLong(3, dueAt.toEpochMilli());
                check.setInt(4, thresholdMinutes);
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_incident_alert (incident_id, clock, due_at, threshold_minutes, "
                    + "alerted_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, incidentId);
                ps.setString(2, clock);
                ps.setLong(3, dueAt.toEpochMilli());
                ps.setInt(4, thresholdMinutes);
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
                return true;
            }
        });
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.toEpochMilli());
        }
    }
}
