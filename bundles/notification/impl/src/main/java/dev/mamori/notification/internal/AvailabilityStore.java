package dev.mamori.notification.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;

import dev.mamori.notification.Availability;

/** The minute-by-minute probe results and the monthly ledger. */
final class AvailabilityStore {
    private final Jdbc jdbc;

    AvailabilityStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a probe: a minute is ready if any node was ready in it. */
    void record(Instant minute, boolean ready, String node, String failing) {
        jdbc.sql("record availability", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE mamori_availability SET ready = TRUE, node = ?, failing = NULL "
                    + "WHERE minute_at = ? AND ready = FALSE AND ? = TRUE")) {
                up.setString(1, node);
                up.setLong(2, minute.toEpochMilli());
                up.setBoolean(3, ready);
                up.executeUpdate();
            }
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM mamori_availability WHERE minute_at = ?")) {
                check.setLong(1, minute.toEpochMilli());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_availability (minute_at, ready, node, failing) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, minute.toEpochMilli());
                ps.setBoolean(2, ready);
                ps.setString(3, node);
                ps.setString(4, failing == null ? null : MailText.shorten(failing, 500));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** @return the first minute ever probed */
    Optional<Instant> first() {
        return jdbc.sql("read the first probe", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(minute_at) FROM mamori_availability");
                    ResultSet rs = ps.executeQuery()) {
                Long v = rs.next() ? rs.getObject(1, Long.class) : null;
                return Optional.ofNullable(v).map(Instant::ofEpochMilli);
            }
        });
    }

    /** @return the ready minutes in [from, from + n minutes), as bits from {@code from} */
    BitSet ready(Instant from, int minutes) {
        return jdbc.sql("read availability", c -> {
            BitSet out = new BitSet(minutes);
            try (PreparedStatement ps = c.prepareStatement("SELECT minute_at FROM mamori_availability WHERE ready = TRUE AND minute_at >= ? "
                    + "AND minute_at < ?")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, from.toEpochMilli() + minutes * 60_000L);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.set((int) ((rs.getLong(1) - from.toEpochMilli()) / 60_000L));
                    }
                }
            }
            return out;
        });
    }

    /** @return whether this month's line for that scope was written now (false: it existed) */
    boolean ledger(Availability a, Instant now) {
        return jdbc.sql("write the SLA ledger", c -> {
            String tenant = a.tenantId() == null ? "" : a.tenantId();
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM mamori_sla_month WHERE month_key = ? AND tenant_id = ?")) {
                check.setString(1, a.month());
                check.setString(2, tenant);
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_sla_month (month_key, tenant_id, measured, down, maintenance, "
                    + "percent, below, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.month());
                ps.setString(2, tenant);
                ps.setLong(3, a.measured());
                ps.setLong(4, a.down());
                ps.setLong(5, a.maintenance());
                ps.setString(6, a.percent() == null ? null : a.percent().toPlainString());
                ps.setBoolean(7, a.below());
                ps.setLong(8, now.toEpochMilli());
                ps.executeUpdate();
                return true;
            }
        });
    }
}
