package dev.mamori.vault.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;

/**
 * The vault's surroundings for unit tests: both H2 stores, their persistence units, a keystore,
 * and a tenant context and tenant service reduced to what the vault uses. Vaults made through
 * {@link #vault(VaultServiceImpl.Settings)} or {@link #track} are deactivated after each test.
 */
abstract class VaultStores {
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    JdbcDataSource ds;
    JdbcDataSource piiDs;
    EntityManagerFactory emf;
    EntityManagerFactory piiEmf;
    KeystoreKeyProvider provider;
    final FakeContext context = new FakeContext();
    final FakeTenants tenants = new FakeTenants();
    final List<VaultServiceImpl> started = new ArrayList<>();

    /** Tenant lookups only; states set by the test. */
    static final class FakeTenants implements TenantService {
        final Map<String, TenantState> states = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Optional<Tenant> find(String id) {
            TenantState st = states.getOrDefault(id, TenantState.ACTIVE);
            java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
            return Optional.of(new Tenant(id, "slug-" + id.substring(0, 8), "T", st, "p", "jp", null, null, null, null, t, t, t));
        }

        @Override public Tenant create(NewTenant t) { throw new UnsupportedOperationException(); }
        @Override public java.util.List<Tenant> list() { throw new UnsupportedOperationException(); }
        @Override public Tenant activate(String i, String p, java.time.LocalDate a, java.time.LocalDate b) { throw new UnsupportedOperationException(); }
        @Override public Tenant expire(String i) { throw new UnsupportedOperationException(); }
        @Override public Tenant delete(String i, String c) { throw new UnsupportedOperationException(); }
        @Override public Tenant terminate(String i, java.time.LocalDate d) { throw new UnsupportedOperationException(); }
        @Override public Tenant markPurged(String i) { throw new UnsupportedOperationException(); }
    }

    /** The tenant context, reduced to what the vault uses. */
    static final class FakeContext implements TenantContext {
        private final ThreadLocal<String> bound = new ThreadLocal<>();

        @Override
        public <T> T callAs(String tenant, Supplier<T> work) {
            bound.set(tenant);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        }

        @Override
        public <T> T callAsPlatform(String tenant, String purpose, Supplier<T> work) {
            return callAs(tenant, work);
        }

        @Override
        public Optional<String> currentTenantId() {
            return Optional.ofNullable(bound.get());
        }
    }

    @BeforeEach
    void openStores() {
        ds = h2("db/mamori");
        piiDs = h2("piidb/mamori-pii");
        openUnits();
        provider = new KeystoreKeyProvider(dir.resolve("master.bcfks"), PASSPHRASE.clone(), true);
    }

    @AfterEach
    void closeStores() {
        started.forEach(VaultServiceImpl::deactivate);
        emf.close();
        piiEmf.close();
        provider.close();
    }

    JdbcDataSource h2(String name) {
        JdbcDataSource d = new JdbcDataSource();
        d.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
        d.setUser("sa");
        return d;
    }

    void openUnits() {
        emf = Persistence.createEntityManagerFactory("mamori-vault", Map.of("javax.persistence.nonJtaDataSource", ds));
        piiEmf = Persistence.createEntityManagerFactory("mamori-vault-pii", Map.of("javax.persistence.nonJtaDataSource", piiDs));
    }

    VaultServiceImpl track(VaultServiceImpl v) {
        started.add(v);
        return v;
    }

    /** A vault on the stores, unsealed with the keystore, on the system clock. */
    VaultServiceImpl vault(VaultServiceImpl.Settings settings) {
        VaultServiceImpl v = track(new VaultServiceImpl(emf, ds, piiEmf, piiDs, context, tenants, settings));
        v.clock = Clock.systemUTC();
        v.bindProvider(provider);
        return v;
    }
}
