package dev.mamori.itests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL of development and CI machines (127.0.0.1:5432, trust auth). Tests create
 * uniquely named databases, so runs never collide, and drop them afterwards.
 */
public final class Postgres {
    static final String HOST = System.getProperty("mamori.it.postgres.host", "127.0.0.1:5432");
    static final String USER = System.getProperty("mamori.it.postgres.user", "postgres");
    static final String HOW_TO = "PostgreSQL is not reachable at " + HOST + " (user " + USER + ", trust auth). "
            + "Start it to run these tests; -Dmamori.it.postgres=required makes its absence a failure (as .ci/run does).";

    private static final java.util.List<String> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Postgres() {
    }

    /** Drops every database this JVM created. */
    static void dropCreated() {
        for (String name : CREATED) {
            dropDatabase(name);
            CREATED.remove(name);
        }
    }

    static boolean reachable() {
        try (Connection c = admin()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static boolean required() {
        return "required".equalsIgnoreCase(System.getProperty("mamori.it.postgres", "auto"));
    }

    static String url(String database) {
        return "jdbc:postgresql://" + HOST + "/" + database;
    }

    /** @return name of a new, empty database */
    static String createDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        CREATED.add(name);
        return name;
    }

    static void dropDatabase(String name) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static Connection admin() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(url("postgres"), USER, "");
    }
}
