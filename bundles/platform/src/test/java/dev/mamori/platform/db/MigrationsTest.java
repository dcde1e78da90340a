package dev.mamori.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Flyway migrations per bundle, outside OSGi (scripts listed from the class-path directory). */
class MigrationsTest {
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");
    private static final String A = "dev/mamori/platform/db/test/a";
    private static final String B = "dev/mamori/platform/db/test/b";

    static {
        FLYWAY_LOG.setLevel(Level.SEVERE);
    }

    private JdbcDataSource ds;

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<String> history(String table) throws SQLException {
        // Flyway also records a schema marker or a baseline row; only the applied scripts count here
        return query("SELECT \"script\" FROM \"" + table + "\" WHERE \"success\" AND \"type\" = 'SQL' ORDER BY \"installed_rank\"");
    }

    @Test
    @DisplayName("EXT-1: migrations apply once; applying again applies 0 and does not re-run any script")
    void idempotent() throws Exception {
        assertEquals(2, Migrations.migrate(ds, MigrationsTest.class, A, "hist_a"));
        assertEquals(0, Migrations.migrate(ds, MigrationsTest.class, A, "hist_a"));
        assertEquals(List.of("seed"), query("SELECT name FROM a_item"), "V2's insert ran exactly once");
        assertEquals(List.of("V1__items.sql", "V2__seed.sql"), history("hist_a"));
    }

    @Test
    @DisplayName("EXT-1: each bundle has its own history table; a second bundle migrates on a non-empty database")
    void historyPerBundle() throws Exception {
        assertEquals(2, Migrations.migrate(ds, MigrationsTest.class, A, "hist_a"));
        // the schema is no longer empty: b baselines its own history at 0 and still applies its V1
        assertEquals(1, Migrations.migrate(ds, MigrationsTest.class, B, "hist_b"));
        assertEquals(0, Migrations.migrate(ds, MigrationsTest.class, A, "hist_a"));
        assertEquals(0, Migrations.migrate(ds, MigrationsTest.class, B, "hist_b"));
        assertEquals(List.of("V1__items.sql", "V2__seed.sql"), history("hist_a"));
        assertEquals(List.of("V1__things.sql"), history("hist_b"));
        assertEquals(List.of("0"), query("SELECT COUNT(*) FROM b_thing"));
    }

    @Test
    @DisplayName("EXT-1: non-SQL files next to the migrations are ignored")
    void onlySql() {
        assertEquals(List.of("V1__items.sql", "V2__seed.sql"),
                Migrations.list(null, MigrationsTest.class, A).stream().map(Migrations.Sql::getFilename).collect(Collectors.toList()));
    }

    @Test
    @DisplayName("EXT-1: a location without migrations is an error, not a silent no-op")
    void noMigrations() {
        assertThrows(IllegalStateException.class,
                () -> Migrations.migrate(ds, MigrationsTest.class, "dev/mamori/platform/db/test/empty", "hist_empty"));
        assertThrows(IllegalStateException.class,
                () -> Migrations.migrate(ds, MigrationsTest.class, "dev/mamori/platform/db/test/missing", "hist_missing"));
    }
}
