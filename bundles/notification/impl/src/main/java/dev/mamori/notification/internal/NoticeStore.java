package dev.mamori.notification.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.mamori.notification.Notice;

/** In-app notices: every query names the tenant and the reader. */
final class NoticeStore {
    private final Jdbc jdbc;

    NoticeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether it was written (false: that notification was already delivered to that user) */
    boolean insert(String tenantId, String id, String userId, String notificationId, String template, String subject, String body,
            Instant now) {
        return jdbc.sql("write a notice", c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM mamori_notice WHERE notification_id = ? AND user_id = ?")) {
                check.setString(1, notificationId);
                check.setString(2, userId);
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_notice (tenant_id, id, user_id, notification_id, template, "
                    + "subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setString(3, userId);
                ps.setString(4, notificationId);
                ps.setString(5, template);
                ps.setString(6, MailText.oneLine(subject, 400));
                ps.setString(7, body.length() > 20000 ? body.substring(0, 20000) : body);
                ps.setLong(8, now.toEpochMilli());
                ps.executeUpdate();
                return true;
            }
        });
    }

    List<Notice> list(String tenantId, String userId, boolean unreadOnly, int limit) {
        return jdbc.sql("read notices", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, template, subject, body, created_at, read_at FROM mamori_notice "
                    + "WHERE tenant_id = ? AND user_id = ?" + (unreadOnly ? " AND read_at IS NULL" : "")
                    + " ORDER BY created_at DESC, id FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, tenantId);
                ps.setString(2, userId);
                ps.setInt(3, limit);
                List<Notice> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long read = rs.getObject(6, Long.class);
                        out.add(new Notice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)), read == null ? null : Instant.ofEpochMilli(read)));
                    }
                }
                return out;
            }
        });
    }

    Optional<Notice> markRead(String tenantId, String userId, String id, Instant now) {
        jdbc.sql("mark a notice read", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_notice SET read_at = ? WHERE tenant_id = ? AND user_id = ? "
                    + "AND id = ? AND read_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, tenantId);
                ps.setString(3, userId);
                ps.setString(4, id);
                return ps.executeUpdate();
            }
        });
        return jdbc.sql("read a notice", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, template, subject, body, created_at, read_at FROM mamori_notice "
                    + "WHERE tenant_id = ? AND user_id = ? AND id = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, userId);
                ps.setString(3, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Long read = rs.getObject(6, Long.class);
                    return Optional.of(new Notice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), read == null ? null : Instant.ofEpochMilli(read)));
                }
            }
        });
    }
}
