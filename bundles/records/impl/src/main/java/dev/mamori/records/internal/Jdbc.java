package dev.mamori.records.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

/**
 * JDBC on the unit-of-work DataSource ({@code mamori-tx}): inside a unit every connection is the
 * unit's one connection, so what the records code writes commits with its audit events or not at all.
 */
final class Jdbc {
    static final ErrorCode UNAVAILABLE = ErrorCode.of("records-store-unavailable", ErrorKind.UNAVAILABLE, "Records unavailable");
    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    private final DataSource unitStore;

    Jdbc(DataSource unitStore) {
        this.unitStore = unitStore;
    }

    /** Work on a connection. */
    @FunctionalInterface
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T sql(String what, Sql<T> work) {
        try (Connection c = unitStore.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            LOG.warn("Records {} failed: {}", what, e.toString());
            throw new MamoriException(UNAVAILABLE, "The records store cannot be reached; try again shortly.", e, Duration.ofSeconds(5));
        }
    }
}
