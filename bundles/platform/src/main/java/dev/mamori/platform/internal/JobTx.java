package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/** Transactions on the job table and the small helpers the job service's parts share. */
final class JobTx {
    private static final Logger LOG = LoggerFactory.getLogger(JobTx.class);

    private JobTx() {
    }

    /** Work on one connection in one transaction of its own (leases, claims, progress: seen by every node at once). */
    static <T> T inTx(JobStore store, SqlWork<T> work) {
        return inTx(store::connection, work);
    }

    /**
     * Work in the caller's unit of work, or in a unit of its own: a job submitted by an action that
     * rolls back is never there to run.
     */
    static <T> T inUnit(JobStore store, SqlWork<T> work) {
        return UnitEngine.call(() -> inTx(store::unitConnection, work));
    }

    @FunctionalInterface
    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private static <T> T inTx(ConnectionSource source, SqlWork<T> work) {
        try (Connection c = source.get()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /** A database failure inside {@link #inTx}. */
    static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        MamoriException toMamori(String what) {
            if (Transactions.isLockTimeout(getCause())) {
                return new MamoriException(PlatformErrors.BUSY, "Could not " + what + ": the job is busy; try again.", getCause(),
                        Duration.ofSeconds(1));
            }
            LOG.error("Could not {}", what, getCause());
            return new MamoriException(PlatformErrors.JOB_STORE_UNAVAILABLE, "Could not " + what + ": the database is not available.", getCause(), Duration.ofSeconds(5));
        }
    }

    static boolean isUniqueViolation(Throwable e) {
        return e instanceof SQLException && "23505".equals(((SQLException) e).getSQLState());
    }

    static String limit(String s) {
        return s == null ? null : s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.codePoints().map(ch -> Character.isISOControl(ch) ? '?' : ch)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
