package dev.mamori.vault.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import javax.persistence.EntityManagerFactory;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.internal.JobServiceImpl;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.testsupport.Units;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;

/**
 * The vault's surroundings for unit tests: both H2 stores migrated as the platform does at bundle
 * start (the vault's schemas and the platform's job tables), their persistence units, a keystore,
 * the real job service, and a tenant context and tenant service reduced to what the vault uses.
 * Vaults made through {@link #vault} are stopped after each test.
 */
abstract class VaultFixture {
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    javax.sql.DataSource ds;
    javax.sql.DataSource piiDs;
    /** The PostgreSQL databases of a test that runs there (see {@link #postgres()}), dropped after it. */
    private final List<dev.mamori.testsupport.TestDatabase> databases = new ArrayList<>();
    EntityManagerFactory emf;
    EntityManagerFactory piiEmf;
    KeystoreKeyProvider provider;
    final FakeContext context = new FakeContext();
    final FakeTenants tenants = new FakeTenants();
    final List<TestVault> started = new ArrayList<>();
    /** Every event the vaults published. */
    final List<MamoriEvent> events = new CopyOnWriteArrayList<>();
    final EventPublisher publisher = b -> {
        MamoriEvent e = b.build(Instant.now(), ExecutionContext.current().orElse(null));
        events.add(e);
        return e;
    };

    /** Tenant lookups only; states set by the test. */
    static final class FakeTenants implements TenantService {
        final Map<String, TenantState> states = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Optional<Tenant> find(String id) {
            TenantState st = states.getOrDefault(id, TenantState.ACTIVE);
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            return Optional.of(new Tenant(id, "slug-" + id.substring(0, 8), "T", st, "p", "jp", null, null, null, null, t, t, t));
        }

        @Override public Tenant create(NewTenant t) { throw new UnsupportedOperationException(); }
        @Override public List<Tenant> list() { throw new UnsupportedOperationException(); }
        @Override public Tenant activate(String i, String p, java.time.LocalDate a, java.time.LocalDate b) { throw new UnsupportedOperationException(); }
        @Override public Tenant expire(String i) { throw new UnsupportedOperationException(); }
        @Override public Tenant delete(String i, String c) { throw new UnsupportedOperationException(); }
        @Override public Tenant terminate(String i, java.time.LocalDate d) { throw new UnsupportedOperationException(); }
        @Override public Tenant markPurged(String i) { throw new UnsupportedOperationException(); }
    }

    /** The tenant context, reduced to what the vault uses: it binds the tenant into the execution context. */
    static final class FakeContext implements TenantContext {
        @Override
        public <T> T callAs(String tenant, Supplier<T> work) {
            ExecutionContext base = ExecutionContext.current().orElseGet(() -> ExecutionContext.system("test"));
            return base.withTenant(tenant).call(work);
        }

        @Override
        public <T> T callAsPlatform(String tenant, PlatformPurpose purpose, Supplier<T> work) {
            return callAs(tenant, work);
        }
    }

    /** @return whether the stores are fresh PostgreSQL databases (skipped when there is none) instead of H2 files */
    boolean postgres() {
        return false;
    }

    @BeforeEach
    void openStores() {
        if (postgres()) {
            databases.add(dev.mamori.testsupport.TestDatabase.postgres("vault"));
            databases.add(dev.mamori.testsupport.TestDatabase.postgres("vaultpii"));
            ds = databases.get(0).dataSource();
            piiDs = databases.get(1).dataSource();
        } else {
            ds = h2("db/mamori");
            piiDs = h2("piidb/mamori-pii");
        }
        // what the platform's schema extender does at bundle start
        Migrations.migrate(ds, VaultKeys.class, "dev/mamori/vault/db", "mamori_schema_vault");
        Migrations.migrate(piiDs, VaultKeys.class, "dev/mamori/vault/piidb", "mamori_schema_vault_pii");
        Migrations.migrate(ds, JobServiceImpl.class, "dev/mamori/platform/schema", "mamori_schema_platform");
        openUnits();
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), true);
    }

    @AfterEach
    void closeStores() {
        started.forEach(TestVault::deactivate);
        emf.close();
        piiEmf.close();
        provider.close();
        databases.forEach(dev.mamori.testsupport.TestDatabase::close);
        if (postgres()) {
            return;
        }
        // close the database files before the temporary folder goes
        for (javax.sql.DataSource d : new javax.sql.DataSource[] {ds, piiDs}) {
            try (java.sql.Connection c = d.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (java.sql.SQLException e) {
                // already closed
            }
        }
    }

    JdbcDataSource h2(String name) {
        JdbcDataSource d = new JdbcDataSource();
        d.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
        d.setUser("sa");
        return d;
    }

    void openUnits() {
        emf = Units.open("mamori-vault", ds);
        piiEmf = Units.open("mamori-vault-pii", piiDs);
    }

    VaultSettings settings(int batch) {
        return new VaultSettings(dir.resolve("escrow/key-escrow"), batch, 200, null);
    }

    /** A vault on the stores, unsealed with the keystore, on the system clock, its jobs running. */
    TestVault vault(VaultSettings settings) {
        TestVault v = paused(settings);
        v.startJobs();
        return v;
    }

    /** As {@link #vault}, but no job runs until {@link TestVault#startJobs()}. */
    TestVault paused(VaultSettings settings) {
        TestVault v = new TestVault(new VaultStores(emf, piiEmf), ds, context, tenants, publisher, settings);
        started.add(v);
        v.bindProvider(provider);
        return v;
    }
}
