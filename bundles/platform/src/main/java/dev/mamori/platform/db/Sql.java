package dev.mamori.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.BiFunction;

import javax.sql.DataSource;

/**
 * Plain JDBC on a DataSource (the unit-of-work one: inside a unit every connection is the unit's one
 * connection, so what is written commits with the action or not at all), with one capability-chosen
 * exception for every database failure, so that callers see the capability's error and never an
 * {@link SQLException}.
 */
public final class Sql {
    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** @param c the connection, closed afterwards @return the result */
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final BiFunction<String, SQLException, ? extends RuntimeException> failure;

    /**
     * @param dataSource where the work runs
     * @param failure    the exception for a failure, given what was being done and the cause
     */
    public Sql(DataSource dataSource, BiFunction<String, SQLException, ? extends RuntimeException> failure) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /**
     * @param what what is being done, for the failure's message ("read the holds")
     * @param work the work
     * @return its result
     */
    public <T> T run(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure.apply(what, e);
        }
    }
}
