package dev.mamori.notification.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.notification.Audience;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.DeliveryState;

/** The outbox's rows: notifications and their deliveries. */
final class Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELIVERY_COLUMNS = "d.id, d.notification_id, n.template, d.tenant_id, d.recipient, d.channel, d.state, "
            + "d.attempts, d.queued_at, d.next_at, d.sent_at, d.answer, n.incident_id";
    private final Jdbc jdbc;

    Outbox(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A queued notification as stored. */
    record Row(String id, String template, Audience audience, List<String> channels, Map<String, String> values, String incidentId,
            Instant createdAt) {
    }

    void insert(List<Row> rows, String createdBy) {
        jdbc.sql("queue", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_notification (id, template, audience, tenant_id, user_id, "
                    + "channels, vals, incident_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Row r : rows) {
                    ps.setString(1, r.id());
                    ps.setString(2, r.template());
                    ps.setString(3, r.audience().kind().name());
                    ps.setString(4, r.audience().tenantId());
                    ps.setString(5, r.audience().userId());
                    ps.setString(6, String.join(",", r.channels()));
                    ps.setString(7, json(r.values()));
                    ps.setString(8, r.incidentId());
                    ps.setLong(9, r.createdAt().toEpochMilli());
                    ps.setString(10, createdBy);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** @return notifications whose deliveries are not written yet, oldest first */
    List<Row> pending(int limit) {
        return jdbc.sql("read pending notifications", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, template, audience, tenant_id, user_id, channels, vals, incident_id, "
                    + "created_at FROM mamori_notification WHERE expanded_at IS NULL ORDER BY created_at, id FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, limit);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    Optional<Row> notification(String id) {
        return jdbc.sql("read a notification", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, template, audience, tenant_id, user_id, channels, vals, incident_id, "
                    + "created_at FROM mamori_notification WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** One recipient over one channel, to be written with its notification's expansion. */
    record NewDelivery(String id, String tenantId, String recipient, String channel, DeliveryState state, String answer) {
    }

    /**
     * Writes the deliveries and marks the notification expanded, if no other node did it first.
     *
     * @return whether this call did it
     */
    boolean expand(String notificationId, List<NewDelivery> deliveries, Instant now) {
        return jdbc.sql("expand a notification", c -> {
            try (PreparedStatement mark = c.prepareStatement(
                    "UPDATE mamori_notification SET expanded_at = ? WHERE id = ? AND expanded_at IS NULL")) {
                mark.setLong(1, now.toEpochMilli());
                mark.setString(2, notificationId);
                if (mark.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_delivery (id, notification_id, tenant_id, recipient, channel, "
                    + "state, attempts, queued_at, next_at, answer) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
                for (NewDelivery d : deliveries) {
                    ps.setString(1, d.id());
                    ps.setString(2, notificationId);
                    ps.setString(3, d.tenantId());
                    ps.setString(4, d.recipient());
                    ps.setString(5, d.channel());
                    ps.setString(6, d.state().name());
                    ps.setLong(7, now.toEpochMilli());
                    ps.setLong(8, now.toEpochMilli());
                    ps.setString(9, d.answer());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    /** @return deliveries due now (queued, or sending past their lease), oldest first */
    List<Delivery> due(Instant now, int limit) {
        return jdbc.sql("read due deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM mamori_delivery d JOIN mamori_notification n "
                    + "ON n.id = d.notification_id WHERE d.state IN ('QUEUED', 'SENDING') AND d.next_at <= ? ORDER BY d.next_at, d.id "
                    + "FETCH FIRST ? ROWS ONLY")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                return deliveries(ps);
            }
        });
    }

    /**
     * Takes the deliveries for one attempt each, in one round trip: only those still due (another
     * node did not take them).
     *
     * @return those this node has
     */
    List<Delivery> claimAll(List<Delivery> due, Instant now, Instant leaseEnd) {
        return jdbc.sql("claim deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_delivery SET state = 'SENDING', attempts = attempts + 1, "
                    + "next_at = ? WHERE id = ? AND state IN ('QUEUED', 'SENDING') AND next_at <= ? AND attempts = ?")) {
                for (Delivery d : due) {
                    ps.setLong(1, leaseEnd.toEpochMilli());
                    ps.setString(2, d.id());
                    ps.setLong(3, now.toEpochMilli());
                    ps.setInt(4, d.attempts());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<Delivery> mine = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 1) {
                        mine.add(due.get(i));
                    }
                }
                return mine;
            }
        });
    }

    /**
     * An attempt's end to record.
     *
     * @param claimed the delivery's attempt count as this node's claim left it: the end is recorded only
     *                while the claim is still this node's (a node whose lease ran out meanwhile records
     *                nothing over the result of the node that took the delivery after it)
     * @param untried handed back before its attempt, which is then not counted
     */
    record Finish(String id, int claimed, DeliveryState state, Instant nextAt, Instant sentAt, String answer, boolean untried) {
        Finish(String id, int claimed, DeliveryState state, Instant nextAt, Instant sentAt, String answer) {
            this(id, claimed, state, nextAt, sentAt, answer, false);
        }
    }

    /**
     * Records attempts' ends in one round trip; answers are kept without e-mail addresses (tenant admins
     * and operators read them).
     *
     * @return how many were recorded: those whose claim was still this node's
     */
    int finishAll(List<Finish> finishes) {
        if (finishes.isEmpty()) {
            return 0;
        }
        return jdbc.sql("record deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_delivery SET state = ?, next_at = ?, sent_at = ?, answer = ?, "
                    + "attempts = attempts - ? WHERE id = ? AND state = 'SENDING' AND attempts = ?")) {
                for (Finish f : finishes) {
                    ps.setString(1, f.state().name());
                    ps.setLong(2, f.nextAt().toEpochMilli());
                    if (f.sentAt() == null) {
                        ps.setNull(3, Types.BIGINT);
                    } else {
                        ps.setLong(3, f.sentAt().toEpochMilli());
                    }
                    ps.setString(4, f.answer() == null ? null : MailText.shorten(MailText.withoutAddresses(f.answer()), 500));
                    ps.setInt(5, f.untried() ? 1 : 0);
                    ps.setString(6, f.id());
                    ps.setInt(7, f.claimed());
                    ps.addBatch();
                }
                int recorded = 0;
                for (int n : ps.executeBatch()) {
                    // some drivers answer SUCCESS_NO_INFO (-2) for a batch row
                    recorded += n == Statement.EXECUTE_FAILED ? 0 : n == Statement.SUCCESS_NO_INFO ? 1 : n;
                }
                return recorded;
            }
        });
    }

    /** @return the notifications with these ids */
    Map<String, Row> notifications(java.util.Collection<String> ids) {
        Map<String, Row> out = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 100) {
            List<String> part = all.subList(from, Math.min(all.size(), from + 100));
            jdbc.sql("read notifications", c -> {
                String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT id, template, audience, tenant_id, user_id, channels, vals, "
                        + "incident_id, created_at FROM mamori_notification WHERE id IN (" + marks + ")")) {
                    for (int i = 0; i < part.size(); i++) {
                        ps.setString(i + 1, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Row r = row(rs);
                            out.put(r.id(), r);
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    /** @return the log, newest first; one tenant's when {@code tenantId} is given */
    List<Delivery> log(String tenantId, int limit) {
        return jdbc.sql("read the delivery log", c -> {
            String where = tenantId == null ? "" : " WHERE d.tenant_id = ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM mamori_delivery d JOIN mamori_notification n "
                    + "ON n.id = d.notification_id" + where + " ORDER BY d.queued_at DESC, d.id FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                if (tenantId != null) {
                    ps.setString(i++, tenantId);
                }
                ps.setInt(i, limit);
                return deliveries(ps);
            }
        });
    }

    /** A notification of an incident to a tenant, with one of its deliveries (null fields before expansion). */
    record IncidentLine(String notificationId, String template, Instant queuedAt, String deliveryId, String channel, String recipient,
            DeliveryState state, Instant sentAt, String answer) {
    }

    List<IncidentLine> forIncident(String incidentId, String tenantId) {
        return jdbc.sql("read an incident's notifications", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT n.id, n.template, n.created_at, d.id, d.channel, d.recipient, d.state, "
                    + "d.sent_at, d.answer FROM mamori_notification n LEFT JOIN mamori_delivery d ON d.notification_id = n.id "
                    + "WHERE n.incident_id = ? AND n.tenant_id = ? ORDER BY n.created_at, n.id, d.channel, d.recipient")) {
                ps.setString(1, incidentId);
                ps.setString(2, tenantId);
                List<IncidentLine> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long sent = rs.getObject(8, Long.class);
                        String state = rs.getString(7);
                        out.add(new IncidentLine(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                                rs.getString(5), rs.getString(6), state == null ? null : DeliveryState.valueOf(state),
                                sent == null ? null : Instant.ofEpochMilli(sent), rs.getString(9)));
                    }
                }
                return out;
            }
        });
    }

    private static List<Delivery> deliveries(PreparedStatement ps) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long next = rs.getLong(10);
                Long sent = (Long) rs.getObject(11, Long.class);
                DeliveryState state = DeliveryState.valueOf(rs.getString(7));
                out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        state, rs.getInt(8), Instant.ofEpochMilli(rs.getLong(9)),
                        state == DeliveryState.QUEUED || state == DeliveryState.SENDING ? Instant.ofEpochMilli(next) : null,
                        sent == null ? null : Instant.ofEpochMilli(sent), rs.getString(12), rs.getString(13)));
            }
        }
        return out;
    }

    private static Row row(ResultSet rs) throws SQLException {
        Audience.Kind kind = Audience.Kind.valueOf(rs.getString(3));
        Audience audience = new Audience(kind, rs.getString(4), rs.getString(5));
        return new Row(rs.getString(1), rs.getString(2), audience, List.of(rs.getString(6).split(",")), values(rs.getString(7)),
                rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)));
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> values(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored notification's values are not JSON", e);
        }
    }

}
