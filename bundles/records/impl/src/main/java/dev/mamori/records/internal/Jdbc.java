package dev.mamori.records.internal;

import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.db.Sql;
import dev.mamori.platform.error.MamoriException;

/**
 * JDBC on the unit-of-work DataSource ({@code mamori-tx}): inside a unit every connection is the
 * unit's one connection, so what the records code writes commits with its audit events or not at all.
 */
final class Jdbc {
    static final ErrorCode UNAVAILABLE = ErrorCode.of("records-store-unavailable", ErrorKind.UNAVAILABLE, "Records unavailable");
    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    private final Sql sql;

    Jdbc(DataSource unitStore) {
        this.sql = new Sql(unitStore, (what, e) -> {
            LOG.warn("Records {} failed: {}", what, e.toString());
            return new MamoriException(UNAVAILABLE, "The records store cannot be reached; try again shortly.", e, Duration.ofSeconds(5));
        });
    }

    <T> T sql(String what, Sql.Work<T> work) {
        return sql.run(what, work);
    }
}
