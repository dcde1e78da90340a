package dev.mamori.platform.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.mamori.platform.internal.UnitEngine;

/**
 * A store's DataSource as persistence units see it: inside a {@link UnitOfWork} every connection
 * it hands out is the unit's one connection to the store (so the capability's persistence unit and
 * the audit trail's write in one transaction); outside, a connection of the pool. The platform
 * registers one per store ({@code osgi.jndi.service.name} {@value #MAIN_JNDI_NAME} and
 * {@value #PII_JNDI_NAME}); a persistence unit names it as its {@code non-jta-data-source}.
 */
public final class UnitDataSource implements DataSource {
    /** JNDI name of the main store as units see it. */
    public static final String MAIN_JNDI_NAME = "mamori-tx";
    /** JNDI name of the PII store as units see it. */
    public static final String PII_JNDI_NAME = "mamori-pii-tx";
    /** Store name of the main store (where events are recorded). */
    public static final String MAIN_STORE = UnitEngine.MAIN;
    /** Store name of the PII store. */
    public static final String PII_STORE = "mamori-pii";

    private final String store;
    private final DataSource raw;

    /**
     * @param store the store's name: {@value #MAIN_STORE} or {@value #PII_STORE}
     * @param raw   the store's pooled DataSource
     */
    public UnitDataSource(String store, DataSource raw) {
        this.store = Objects.requireNonNull(store, "store");
        this.raw = Objects.requireNonNull(raw, "raw");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return UnitEngine.connection(store, raw);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // the store's credentials are the pool's; a unit has one connection per store
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return raw.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        raw.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        raw.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return raw.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return raw.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return raw.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || raw.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "UnitDataSource[" + store + "]";
    }
}
