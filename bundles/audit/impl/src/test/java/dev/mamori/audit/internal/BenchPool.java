package dev.mamori.audit.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A small connection pool for {@link AuditBench}, doing per borrow and return what the
 * distribution's dbcp2 pool does with its settings ({@code pool.maxTotal = 16},
 * {@code pool.testOnBorrow = true}): at most {@code max} physical connections, each validated with
 * {@link Connection#isValid} when borrowed (a round trip on PostgreSQL), rolled back if returned in
 * a transaction and switched back to auto-commit. It keeps the benchmark free of a pool dependency
 * the bundle does not have; the pool's own cost is small either way.
 */
final class BenchPool implements DataSource, AutoCloseable {
    private final String url;
    private final String user;
    private final boolean validate;
    private final Semaphore permits;
    private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();

    BenchPool(String url, String user, int max, boolean validate) {
        this.url = url;
        this.user = user;
        this.validate = validate;
        this.permits = new Semaphore(max, true);
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        }
        try {
            Connection physical = idle.pollFirst();
            if (physical != null && validate && !physical.isValid(5)) {
                closeQuietly(physical);
                physical = null;
            }
            if (physical == null) {
                physical = DriverManager.getConnection(url, user, "");
            }
            return wrap(physical);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection wrap(Connection physical) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(BenchPool.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "close":
                    if (!closed[0]) {
                        closed[0] = true;
                        giveBack(physical);
                    }
                    return null;
                case "isClosed":
                    return closed[0] || physical.isClosed();
                case "unwrap":
                    return ((Class<?>) a[0]).isInstance(p) ? p : physical.unwrap((Class<?>) a[0]);
                case "equals":
                    return p == a[0];
                case "hashCode":
                    return System.identityHashCode(p);
                default:
                    if (closed[0]) {
                        throw new SQLException("connection returned to the pool");
                    }
                    try {
                        return m.invoke(physical, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        });
    }

    private void giveBack(Connection physical) {
        try {
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            idle.addFirst(physical);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(physical);
        } finally {
            permits.release();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // gone anyway
        }
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.pollFirst()) != null;) {
            closeQuietly(c);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // none
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // none
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
