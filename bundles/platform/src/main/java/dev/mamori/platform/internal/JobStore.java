package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobState;

/**
 * SQL of the job table ({@code mamori_job}), the same on H2 and PostgreSQL. Plain JDBC on
 * purpose: the runner needs exact control of row locks and compare-and-set updates.
 */
final class JobStore {
    static final String COLUMNS = "id, job_type, job_key, tenant_id, parameters, state, cursor_value, done_count, total_count, "
            + "detail, result_value, requested_by, owner_node, lease_until, next_run_at, created_at, updated_at, finished_at, "
            + "parameters_type, submitter";
    private static final String RUNNABLE = "('QUEUED', 'RUNNING', 'WAITING')";

    private final DataSource dataSource;

    JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return a connection of the caller's unit of work (or of a unit of its own): its commit is the unit's */
    Connection unitConnection() throws SQLException {
        return UnitEngine.connection(UnitEngine.MAIN, dataSource);
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** One row of the table; the runner changes it and writes it back while it holds the row. */
    static final class Row {
        final String id;
        final String type;
        final String key;
        final String tenantId;
        final String parameters;
        final String requestedBy;
        final long createdAt;
        /** the parameters' declared Java type */
        String parametersType;
        /** JSON of the submitting principal ({@link JobCodec.Submitter}), or null: the platform */
        String submitter;
        JobState state;
        String cursor;
        long done;
        Long total;
        String detail;
        String result;
        String owner;
        Long leaseUntil;
        long nextRunAt;
        long updatedAt;
        Long finishedAt;

        Row(String id, String type, String key, String tenantId, String parameters, String requestedBy, long createdAt) {
            this.id = id;
            this.type = type;
            this.key = key;
            this.tenantId = tenantId;
            this.parameters = parameters;
            this.requestedBy = requestedBy;
            this.createdAt = createdAt;
        }

        JobInfo info() {
            return new JobInfo(id, type, key, tenantId, parameters, state, done, total, detail, result, requestedBy, owner,
                    Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt),
                    finishedAt == null ? null : Instant.ofEpochMilli(finishedAt));
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        Row r = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(12),
                rs.getLong(16));
        r.state = JobState.valueOf(rs.getString(6));
        r.cursor = rs.getString(7);
        r.done = rs.getLong(8);
        r.total = nullableLong(rs, 9);
        r.detail = rs.getString(10);
        r.result = rs.getString(11);
        r.owner = rs.getString(13);
        r.leaseUntil = nullableLong(rs, 14);
        r.nextRunAt = rs.getLong(15);
        r.updatedAt = rs.getLong(17);
        r.finishedAt = nullableLong(rs, 18);
        r.parametersType = rs.getString(19);
        r.submitter = rs.getString(20);
        return r;
    }

    private static Long nullableLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    /** Seconds a statement waits for a row another transaction holds (PostgreSQL would wait for ever). */
    static final int LOCK_WAIT_SECONDS = 5;

    /** @return the key column's value while the job is open: keys are per tenant */
    static String openKey(String tenantId, String key) {
        return key == null ? null : (tenantId == null ? "-" : tenantId) + "|" + key;
    }

    /** @return the row, locked for this transaction ({@code FOR UPDATE}) when {@code lock} */
    static Optional<Row> load(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_job WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            if (lock) {
                ps.setQueryTimeout(LOCK_WAIT_SECONDS);
            }
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static Optional<Row> loadOpen(Connection c, String type, String tenantId, String key, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_job WHERE job_type = ? AND open_key = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            if (lock) {
                ps.setQueryTimeout(LOCK_WAIT_SECONDS);
            }
            ps.setString(1, type);
            ps.setString(2, openKey(tenantId, key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static void insert(Connection c, Row r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mamori_job (" + COLUMNS
                + ", open_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id);
            ps.setString(2, r.type);
            ps.setString(3, r.key);
            ps.setString(4, r.tenantId);
            ps.setString(5, r.parameters);
            ps.setString(6, r.state.name());
            ps.setString(7, r.cursor);
            ps.setLong(8, r.done);
            setLong(ps, 9, r.total);
            ps.setString(10, r.detail);
            ps.setString(11, r.result);
            ps.setString(12, r.requestedBy);
            ps.setString(13, r.owner);
            setLong(ps, 14, r.leaseUntil);
            ps.setLong(15, r.nextRunAt);
            ps.setLong(16, r.createdAt);
            ps.setLong(17, r.updatedAt);
            setLong(ps, 18, r.finishedAt);
            ps.setString(19, r.parametersType);
            ps.setString(20, r.submitter);
            ps.setString(21, r.state.isOpen() ? openKey(r.tenantId, r.key) : null);
            ps.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    /**
     * Writes every mutable column of a row it holds locked. Leaving the open states frees the key.
     */
    static void update(Connection c, Row r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_job SET state = ?, cursor_value = ?, done_count = ?, "
                + "total_count = ?, detail = ?, result_value = ?, owner_node = ?, lease_until = ?, next_run_at = ?, updated_at = ?, "
                + "finished_at = ?, open_key = ? WHERE id = ?")) {
            ps.setString(1, r.state.name());
            ps.setString(2, r.cursor);
            ps.setLong(3, r.done);
            setLong(ps, 4, r.total);
            ps.setString(5, r.detail);
            ps.setString(6, r.result);
            ps.setString(7, r.owner);
            setLong(ps, 8, r.leaseUntil);
            ps.setLong(9, r.nextRunAt);
            ps.setLong(10, r.updatedAt);
            setLong(ps, 11, r.finishedAt);
            ps.setString(12, r.state.isOpen() ? openKey(r.tenantId, r.key) : null);
            ps.setString(13, r.id);
            ps.executeUpdate();
        }
    }

    /**
     * @param types the job types this node has handlers for: jobs of other types (a bundle removed,
     *              a type nobody runs) never fill the window and starve the others
     * @return ids and types of jobs due to run whose lease is free or expired, oldest first
     */
    List<String[]> due(long now, int limit, java.util.Collection<String> types) throws SQLException {
        List<String[]> out = new ArrayList<>();
        if (types.isEmpty()) {
            return out;
        }
        String in = String.join(", ", java.util.Collections.nCopies(types.size(), "?"));
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT id, job_type FROM mamori_job WHERE state IN "
                + RUNNABLE + " AND next_run_at <= ? AND (owner_node IS NULL OR lease_until < ?) AND job_type IN (" + in
                + ") ORDER BY created_at FETCH FIRST ? ROWS ONLY")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            int i = 3;
            for (String t : types) {
                ps.setString(i++, t);
            }
            // the limit in the SQL: with setMaxRows alone PostgreSQL plans (and sorts) for every row
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return out;
    }

    /** Compare-and-set: takes the lease if the job is still due and its lease free or expired. */
    boolean claim(String id, String node, long now, long leaseUntil) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("UPDATE mamori_job SET owner_node = ?, "
                + "lease_until = ?, state = 'RUNNING', updated_at = ? WHERE id = ? AND state IN " + RUNNABLE
                + " AND next_run_at <= ? AND (owner_node IS NULL OR lease_until < ?)")) {
            // a row someone holds (PostgreSQL would wait for ever): give up and try at the next poll
            ps.setQueryTimeout(5);
            ps.setString(1, node);
            ps.setLong(2, leaseUntil);
            ps.setLong(3, now);
            ps.setString(4, id);
            ps.setLong(5, now);
            ps.setLong(6, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Gives up a lease this node holds, leaving the job to be picked up again at once (clean shutdown). */
    void release(String id, String node, long now) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("UPDATE mamori_job SET owner_node = NULL, "
                + "lease_until = NULL, updated_at = ? WHERE id = ? AND owner_node = ?")) {
            ps.setLong(1, now);
            ps.setString(2, id);
            ps.setString(3, node);
            ps.executeUpdate();
        }
    }

    int wake(String type, long now) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE mamori_job SET next_run_at = ? WHERE job_type = ? AND state = 'WAITING' AND next_run_at > ?")) {
            ps.setLong(1, now);
            ps.setString(2, type);
            ps.setLong(3, now);
            return ps.executeUpdate();
        }
    }

    Optional<Row> find(String id) throws SQLException {
        try (Connection c = connection()) {
            return load(c, id, false);
        }
    }

    Optional<Row> findOpen(String type, String tenantId, String key) throws SQLException {
        try (Connection c = connection()) {
            return loadOpen(c, type, tenantId, key, false);
        }
    }

    /** @return jobs newest first, of one type and/or one tenant when given */
    List<Row> list(String type, String tenantId, int limit) throws SQLException {
        List<Row> out = new ArrayList<>();
        String where = type == null && tenantId == null ? "" : " WHERE " + (type == null ? "" : "job_type = ?")
                + (type != null && tenantId != null ? " AND " : "") + (tenantId == null ? "" : "tenant_id = ?");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mamori_job"
                + where + " ORDER BY created_at DESC, id FETCH FIRST ? ROWS ONLY")) {
            int i = 1;
            if (type != null) {
                ps.setString(i++, type);
            }
            if (tenantId != null) {
                ps.setString(i++, tenantId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** Records that a cancel was asked for; needs no lock on the job's row. */
    void requestCancel(String id, String by, long now) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mamori_job_cancel (job_id, requested_at, requested_by) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setLong(2, now);
            ps.setString(3, by);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // asked for already
        }
    }

    /** @return whether a cancel was asked for (the caller holds the job's row) */
    static boolean cancelRequested(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mamori_job_cancel WHERE job_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void clearCancel(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_job_cancel WHERE job_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** @return the next firing recorded for a schedule and its expression, if recorded */
    Optional<Object[]> schedule(String type) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT expression, next_fire_at FROM mamori_job_schedule WHERE job_type = ?")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Object[] {rs.getString(1), rs.getLong(2)}) : Optional.empty();
            }
        }
    }

    /** @return whether this call recorded the schedule (another node may have been first) */
    boolean insertSchedule(String type, String expression, long nextFire) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mamori_job_schedule (job_type, expression, next_fire_at) VALUES (?, ?, ?)")) {
            ps.setString(1, type);
            ps.setString(2, expression);
            ps.setLong(3, nextFire);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    /** Compare-and-set of a schedule's next firing: only the node that moves it on submits the run. */
    boolean moveSchedule(String type, String expectedExpression, long expectedFire, String expression, long nextFire)
            throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("UPDATE mamori_job_schedule SET expression = ?, "
                + "next_fire_at = ? WHERE job_type = ? AND expression = ? AND next_fire_at = ?")) {
            ps.setString(1, expression);
            ps.setLong(2, nextFire);
            ps.setString(3, type);
            ps.setString(4, expectedExpression);
            ps.setLong(5, expectedFire);
            return ps.executeUpdate() == 1;
        }
    }
}
