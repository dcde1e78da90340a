package dev.mamori.tenant.internal;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.h2.jdbcx.JdbcDataSource;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * An in-memory H2 database with the real "mamori-tenant" persistence unit (EclipseLink,
 * TenantGuard, multitenancy) and the real Flyway migrations, shared by the tests of one JVM:
 * building an EntityManagerFactory is the slow part. {@link #fresh} empties the tables.
 */
final class TestDb {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** 2024-03-31T16:30Z is already 2024-04-01 01:30 in Tokyo: a UTC-based "today" would be a day off. */
    static final Instant T0 = Instant.parse("2024-03-31T16:30:00Z");

    /** Flyway logs through java.util.logging; keep test output to real problems (strong reference: JUL loggers are weak). */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private static TestDb shared;

    final JdbcDataSource dataSource;
    final EntityManagerFactory emf;
    /** Every event the services published, in order. */
    final List<MamoriEvent> events = new CopyOnWriteArrayList<>();
    /** When set, publishing fails as a required listener (the audit trail) would. */
    volatile RuntimeException failPublishing;
    /** The events seam as the platform provides it: synchronous, stamped with the service's clock and the context. */
    final EventPublisher publisher = b -> {
        if (failPublishing != null) {
            throw failPublishing;
        }
        MamoriEvent e = b.build(this.tenants == null ? T0 : this.tenants.clock.instant(), ExecutionContext.current().orElse(null));
        events.add(e);
        return e;
    };
    /** The service for the current test. */
    TenantServiceImpl tenants;

    private TestDb() {
        String name = "mamori-" + UUID.randomUUID();
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        Map<String, Object> props = new HashMap<>();
        props.put("javax.persistence.nonJtaDataSource", dataSource);
        props.put("eclipselink.session-name", name);
        // the guard tests provoke refusals on purpose; EclipseLink would log each with a stack trace
        props.put("eclipselink.logging.level", "SEVERE");
        // what the platform's schema extender does at bundle start
        Migrations.migrate(dataSource, TenantServiceImpl.class, "dev/mamori/tenant/db", "mamori_schema_tenant");
        emf = Persistence.createEntityManagerFactory("mamori-tenant", props);
    }

    /**
     * @return the shared database, emptied, with its TenantServiceImpl (30 trial days, region jp) reset to
     *         a clock at T0 and no events recorded
     */
    static synchronized TestDb fresh() {
        if (shared == null) {
            shared = new TestDb();
            shared.tenants = shared.newService(config(30, "jp"));
        } else {
            shared.wipe();
            shared.events.clear();
            shared.failPublishing = null;
            shared.clock(T0);
        }
        return shared;
    }

    /** A further service on the same database, as a second node or a reconfigured component would be. */
    TenantServiceImpl newService(TenantServiceImpl.Config config) {
        TenantServiceImpl s = new TenantServiceImpl(emf, publisher, config);
        s.clock = Clock.fixed(T0, TOKYO);
        return s;
    }

    void clock(Instant at) {
        tenants.clock = Clock.fixed(at, TOKYO);
    }

    private void wipe() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM mamori_tenant_setting");
            s.executeUpdate("DELETE FROM mamori_tenant");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static TenantServiceImpl.Config config(int trialDays, String... regions) {
        return new TenantServiceImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TenantServiceImpl.Config.class;
            }

            @Override
            public int trial_days() {
                return trialDays;
            }

            @Override
            public String[] regions() {
                return regions.clone();
            }
        };
    }
}
