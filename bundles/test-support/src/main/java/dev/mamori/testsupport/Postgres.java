package dev.mamori.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether the PostgreSQL tests run: when PostgreSQL answers on 127.0.0.1:5432 (trust auth, user
 * postgres), or always with {@code -Dmamori.it.postgres=required}, which turns its absence into a
 * failure (CI).
 */
public final class Postgres {
    /** Host of the test server. */
    public static final String HOST = System.getProperty("mamori.it.postgres.host", "127.0.0.1");
    /** Port of the test server. */
    public static final int PORT = Integer.getInteger("mamori.it.postgres.port", 5432);
    /** User of the test server (trust authentication). */
    public static final String USER = System.getProperty("mamori.it.postgres.user", "postgres");
    /** What to do to run the skipped tests. */
    public static final String HOW_TO = "PostgreSQL is not reachable at " + HOST + ":" + PORT + " (user " + USER
            + ", trust auth); start it to run the PostgreSQL tests. With -Dmamori.it.postgres=required its absence fails the build.";

    private Postgres() {
    }

    /** @return whether -Dmamori.it.postgres=required */
    public static boolean required() {
        return "required".equals(System.getProperty("mamori.it.postgres"));
    }

    /** @return whether the server accepts connections */
    public static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** @param database database name @return its JDBC URL */
    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }
}
