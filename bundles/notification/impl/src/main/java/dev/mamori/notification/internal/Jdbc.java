package dev.mamori.notification.internal;

import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.notification.NotificationErrors;
import dev.mamori.platform.db.Sql;
import dev.mamori.platform.error.MamoriException;

/**
 * JDBC on the unit-of-work DataSource: inside a unit every connection is the unit's one connection,
 * so a notification commits with the action that sends it, or not at all.
 */
final class Jdbc {
    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    private final Sql sql;

    Jdbc(DataSource unitStore) {
        this.sql = new Sql(unitStore, (what, e) -> {
            LOG.warn("Notifications: {} failed: {}", what, e.toString());
            return new MamoriException(NotificationErrors.UNAVAILABLE, "The notification store cannot be reached; try again shortly.", e,
                    Duration.ofSeconds(5));
        });
    }

    <T> T sql(String what, Sql.Work<T> work) {
        return sql.run(what, work);
    }
}
