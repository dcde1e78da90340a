package dev.mamori.auth.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import dev.mamori.platform.db.Migrations;
import dev.mamori.testsupport.TestDatabase;

/**
 * The auth capability's two databases as the distribution has them: {@code mamori} with the tenant
 * bundle's and this bundle's migrations, {@code mamori-pii} with the profile migration, and the real
 * persistence units (EclipseLink, multitenancy, TenantGuard) on them. The H2 pair is built once per
 * JVM (building the units is the slow part); tests keep apart by using tenants of their own.
 */
final class AuthDb implements AutoCloseable {
    /** The tenant bundle's migrations, read from its sources (the tenant impl bundle is not on this bundle's class path). */
    static final String TENANT_MIGRATIONS = "../../tenant/impl/src/main/resources/dev/mamori/tenant/db";

    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private static AuthDb sharedH2;

    final TestDatabase mainDb;
    final TestDatabase piiDb;
    final EntityManagerFactory main;
    final EntityManagerFactory pii;
    final String name;

    private AuthDb(String name, TestDatabase mainDb, TestDatabase piiDb) {
        this.name = name;
        this.mainDb = mainDb;
        this.piiDb = piiDb;
        Flyway.configure(AuthDb.class.getClassLoader()).dataSource(mainDb.dataSource())
                .locations("filesystem:" + tenantMigrations()).table("mamori_schema_tenant")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        Migrations.migrate(mainDb.dataSource(), UserServiceImpl.class, "dev/mamori/auth/db", "mamori_schema_auth");
        Migrations.migrate(piiDb.dataSource(), UserServiceImpl.class, "dev/mamori/auth/piidb", "mamori_schema_auth_pii");
        String session = "auth-test-" + UUID.randomUUID();
        // as in the server: both stores as units of work see them (UnitDataSource); commits can be refused on purpose
        this.main = open("mamori-auth", new dev.mamori.platform.db.UnitDataSource(
                dev.mamori.platform.db.UnitDataSource.MAIN_STORE, refusing(mainDb.dataSource(), FAIL_MAIN_COMMIT)), session + "-main");
        this.pii = open("mamori-auth-pii", new dev.mamori.platform.db.UnitDataSource(
                dev.mamori.platform.db.UnitDataSource.PII_STORE, refusing(piiDb.dataSource(), FAIL_PII_COMMIT)), session + "-pii");
    }

    /** While set, every commit on the main store fails (a database that refuses at the end). */
    static final java.util.concurrent.atomic.AtomicBoolean FAIL_MAIN_COMMIT = new java.util.concurrent.atomic.AtomicBoolean();
    /** While set, every commit on the PII store fails. */
    static final java.util.concurrent.atomic.AtomicBoolean FAIL_PII_COMMIT = new java.util.concurrent.atomic.AtomicBoolean();

    private static DataSource refusing(DataSource ds, java.util.concurrent.atomic.AtomicBoolean fail) {
        ClassLoader cl = AuthDb.class.getClassLoader();
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(cl, new Class<?>[] {DataSource.class}, (p, m, a) -> {
            Object r = call(ds, m, a);
            if (!(r instanceof java.sql.Connection)) {
                return r;
            }
            java.sql.Connection c = (java.sql.Connection) r;
            return java.lang.reflect.Proxy.newProxyInstance(cl, new Class<?>[] {java.sql.Connection.class}, (p2, m2, a2) -> {
                if ("commit".equals(m2.getName()) && fail.get()) {
                    throw new java.sql.SQLException("commit refused (test)");
                }
                return call(c, m2, a2);
            });
        });
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return the JVM's shared in-memory H2 pair */
    static synchronized AuthDb h2() {
        if (sharedH2 == null) {
            sharedH2 = new AuthDb("H2", TestDatabase.h2Memory(), TestDatabase.h2Memory());
        }
        return sharedH2;
    }

    /** @return a fresh PostgreSQL pair (skipped when PostgreSQL is not there); close it */
    static AuthDb postgres() {
        TestDatabase m = TestDatabase.postgres("auth");
        TestDatabase p;
        try {
            p = TestDatabase.postgres("authpii");
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
        return new AuthDb("PostgreSQL", m, p);
    }

    private static Path tenantMigrations() {
        Path p = Paths.get(System.getProperty("user.dir")).resolve(TENANT_MIGRATIONS).normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("The tenant migrations are expected at " + p + " (tests run in bundles/auth/impl)");
        }
        return p;
    }

    private static EntityManagerFactory open(String unit, DataSource ds, String session) {
        Map<String, Object> props = new HashMap<>();
        props.put("javax.persistence.nonJtaDataSource", ds);
        // one session per database: EclipseLink would otherwise reuse the unit's session of another DataSource
        props.put("eclipselink.session-name", session);
        props.put("eclipselink.logging.level", "OFF");
        return Persistence.createEntityManagerFactory(unit, props);
    }

    DataSource mainDs() {
        return mainDb.dataSource();
    }

    DataSource piiDs() {
        return piiDb.dataSource();
    }

    /** Inserts a tenant row as the tenant bundle would; @return its id */
    String newTenant(String slug, String state) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        update(mainDs(), "INSERT INTO mamori_tenant (id, slug, display_name, state, plan, region, created_at, updated_at, "
                + "state_changed_at, version) VALUES (?, ?, ?, ?, 'standard', 'jp', ?, ?, ?, 0)", id, slug, "Tenant " + slug, state,
                now, now, now);
        return id;
    }

    /** Plain JDBC, past EclipseLink and its tenant guard: what a database reader sees. */
    static List<Map<String, Object>> query(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int n = r.getMetaData().getColumnCount();
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(r.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), r.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static int update(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        if (this == sharedH2) {
            return;
        }
        main.close();
        pii.close();
        mainDb.close();
        piiDb.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
