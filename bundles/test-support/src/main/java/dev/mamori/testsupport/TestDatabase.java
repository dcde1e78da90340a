package dev.mamori.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database for one test: an H2 file (as the distribution ships it, {@code WRITE_DELAY=0}), an
 * in-memory H2, or a fresh PostgreSQL database that {@link #close()} drops. PostgreSQL tests are
 * skipped (with the reason) when the server is not there, and fail instead under
 * {@code -Dmamori.it.postgres=required}.
 */
public final class TestDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final String url;
    private final String dropOnClose;

    private TestDatabase(DataSource dataSource, String url, String dropOnClose) {
        this.dataSource = dataSource;
        this.url = url;
        this.dropOnClose = dropOnClose;
    }

    /**
     * @param dir  a (temporary) folder
     * @param name file name of the database inside it
     * @return an H2 file database
     */
    public static TestDatabase h2(Path dir, String name) {
        return h2Url("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
    }

    /** @return a private in-memory H2 database that lives until the JVM ends */
    public static TestDatabase h2Memory() {
        return h2Url("jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    }

    private static TestDatabase h2Url(String url) {
        JdbcDataSource d = new JdbcDataSource();
        d.setURL(url);
        d.setUser("sa");
        return new TestDatabase(d, url, null);
    }

    /**
     * @param prefix lower-case letters naming the test, part of the database name
     * @return a new, empty PostgreSQL database
     */
    public static TestDatabase postgres(String prefix) {
        if (!Postgres.reachable()) {
            if (Postgres.required()) {
                throw new AssertionError(Postgres.HOW_TO);
            }
            Assumptions.abort(Postgres.HOW_TO);
        }
        String name = ("mamori_ut_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        admin("CREATE DATABASE " + name);
        PGSimpleDataSource d = new PGSimpleDataSource();
        d.setUrl(Postgres.url(name));
        d.setUser(Postgres.USER);
        return new TestDatabase(d, Postgres.url(name), name);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(Postgres.url("postgres"), Postgres.USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** @return the DataSource */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return its JDBC URL */
    public String url() {
        return url;
    }

    /** @return whether it is PostgreSQL */
    public boolean isPostgres() {
        return dropOnClose != null;
    }

    /** Drops a PostgreSQL database (its connections are ended first); H2 databases stay for the JVM's life. */
    @Override
    public void close() {
        if (dropOnClose != null) {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + dropOnClose
                    + "' AND pid <> pg_backend_pid()");
            admin("DROP DATABASE IF EXISTS " + dropOnClose);
        }
    }
}
