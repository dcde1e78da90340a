package dev.mamori.notification.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.notification.NotificationErrors;
import dev.mamori.platform.error.MamoriException;

/**
 * JDBC on the unit-of-work DataSource: inside a unit every connection is the unit's one connection,
 * so a notification commits with the action that sends it, or not at all.
 */
final class Jdbc {
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
            LOG.warn("Notifications: {} failed: {}", what, e.toString());
            throw new MamoriException(NotificationErrors.UNAVAILABLE, "The notification store cannot be reached; try again shortly.", e,
                    Duration.ofSeconds(5));
        }
    }
}
