package dev.mamori.tenant.internal;

import static dev.mamori.tenant.internal.TestDb.T0;
import static dev.mamori.tenant.internal.TestDb.TOKYO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.persistence.EntityManager;
import javax.persistence.EntityTransaction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.jpa.TenantScoped;

/**
 * TEN-1 and TEN-7 end to end below REST: TenantSettingsServiceImpl with the real TenantContextImpl,
 * EclipseLink multitenancy and TenantGuard on H2.
 */
class TenantIsolationTest {
    private TestDb db;
    private TenantContextImpl context;
    private TenantSettingsServiceImpl settings;
    private Tenant a;
    private Tenant b;

    @BeforeEach
    void setUp() {
        db = TestDb.fresh();
        context = new TenantContextImpl(db.tenants, db.publisher);
        settings = new TenantSettingsServiceImpl(db.emf, context);
        settings.clock = Clock.fixed(T0, TOKYO);
        a = dev.mamori.platform.context.ExecutionContext.system("test").call(() -> db.tenants.create(NewTenant.builder("alpha", "Alpha").build()));
        b = dev.mamori.platform.context.ExecutionContext.system("test").call(() -> db.tenants.create(NewTenant.builder("bravo", "Bravo").build()));
    }

    private <T> T asA(java.util.function.Supplier<T> work) {
        return context.callAs(a.id(), work);
    }

    private <T> T asB(java.util.function.Supplier<T> work) {
        return context.callAs(b.id(), work);
    }

    private TenantSetting putAsA(String key, String value) {
        return asA(() -> settings.put(key, value));
    }

    private int rowsOf(Tenant t) throws Exception {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mamori_tenant_setting WHERE tenant_id = '" + t.id() + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @DisplayName("TEN-7: a tenant reads back what it wrote (put, get, getById, list), stamped with the clock")
    void ownData() throws Exception {
        TenantSetting s = putAsA("theme", "dark");
        assertEquals("theme", s.key());
        assertEquals("dark", s.value());
        assertEquals(T0, s.updatedAt());
        assertEquals(Optional.of("dark"), asA(() -> settings.get("theme")).map(TenantSetting::value));
        assertEquals(Optional.of("theme"), asA(() -> settings.getById(s.id())).map(TenantSetting::key));
        assertEquals(1, rowsOf(a), "stored with A's id as discriminator");
        assertEquals(0, rowsOf(b));
    }

    @Test
    @DisplayName("TEN-7: put replaces an existing key in place; update changes the value and timestamp")
    void putReplacesAndUpdate() {
        TenantSetting first = putAsA("theme", "dark");
        Instant later = T0.plusSeconds(60);
        settings.clock = Clock.fixed(later, TOKYO);
        TenantSetting second = putAsA("theme", "light");
        assertEquals(first.id(), second.id());
        assertEquals(later, second.updatedAt());
        TenantSetting updated = asA(() -> settings.update(first.id(), "blue"));
        assertEquals("blue", updated.value());
        assertEquals(List.of("theme=blue"), asA(() -> settings.list()).stream().map(TenantSetting::toString).collect(Collectors.toList()));
    }

    @Test
    @DisplayName("TEN-7: list is ordered by key; delete and deleteAll remove the tenant's own entries")
    void listAndDeleteOwn() {
        putAsA("b.key", "2");
        TenantSetting first = putAsA("a.key", "1");
        putAsA("c.key", "3");
        assertEquals(List.of("a.key", "b.key", "c.key"), asA(() -> settings.list()).stream().map(TenantSetting::key).collect(Collectors.toList()));
        context.runAs(a.id(), () -> settings.delete(first.id()));
        assertEquals(Optional.empty(), asA(() -> settings.getById(first.id())));
        assertEquals(2, (int) asA(() -> settings.deleteAll()));
        assertEquals(List.of(), asA(() -> settings.list()));
    }

    @Nested
    @DisplayName("another tenant")
    class OtherTenant {
        private TenantSetting secret;

        @BeforeEach
        void write() {
            secret = putAsA("api.token", "a-secret");
        }

        @Test
        @DisplayName("TEN-1: B cannot see A's settings by key, by id or in its list")
        void invisible() {
            assertEquals(Optional.empty(), asB(() -> settings.get("api.token")));
            assertEquals(Optional.empty(), asB(() -> settings.getById(secret.id())));
            assertEquals(List.of(), asB(() -> settings.list()));
        }

        @Test
        @DisplayName("TEN-1: B cannot change A's setting: update says not found and A's value is unchanged")
        void unchangeable() {
            SettingNotFoundException e = assertThrows(SettingNotFoundException.class,
                    () -> asB(() -> settings.update(secret.id(), "stolen")));
            assertEquals(SettingNotFoundException.CODE, e.code());
            TenantSetting stillA = asA(() -> settings.getById(secret.id())).orElseThrow();
            assertEquals("a-secret", stillA.value());
            assertEquals(secret.updatedAt(), stillA.updatedAt());
        }

        @Test
        @DisplayName("TEN-1: B cannot delete A's setting, neither one by id nor with deleteAll")
        void undeletable() throws Exception {
            assertThrows(SettingNotFoundException.class, () -> context.runAs(b.id(), () -> settings.delete(secret.id())));
            assertEquals(0, (int) asB(() -> settings.deleteAll()));
            assertEquals(1, rowsOf(a));
            assertEquals(Optional.of("a-secret"), asA(() -> settings.get("api.token")).map(TenantSetting::value));
        }

        @Test
        @DisplayName("TEN-1/TEN-7: the same key lives independently in both tenants; B's put never overwrites A's")
        void sameKeyIndependent() throws Exception {
            TenantSetting mine = asB(() -> settings.put("api.token", "b-secret"));
            assertNotEquals(secret.id(), mine.id());
            assertEquals(Optional.of("a-secret"), asA(() -> settings.get("api.token")).map(TenantSetting::value));
            assertEquals(Optional.of("b-secret"), asB(() -> settings.get("api.token")).map(TenantSetting::value));
            assertEquals(1, (int) asB(() -> settings.deleteAll()));
            assertEquals(1, rowsOf(a));
            assertEquals(0, rowsOf(b));
        }

        @Test
        @DisplayName("TEN-2: once A is EXPIRED its users cannot reach its settings; a platform binding still can")
        void expiredTenantLocked() {
            dev.mamori.platform.context.ExecutionContext.system("test").run(() -> db.tenants.expire(a.id()));
            assertThrows(TenantNotAccessibleException.class, () -> asA(() -> settings.list()));
            assertEquals(List.of("api.token"), dev.mamori.platform.context.ExecutionContext.system("test.export").call(() ->
                    context.callAsPlatform(a.id(), dev.mamori.platform.context.PlatformPurpose.of("test.export", "export"),
                    () -> settings.list())).stream().map(TenantSetting::key).collect(Collectors.toList()));
        }
    }

    static Stream<Arguments> everyMethod() {
        return Stream.of(
                Arguments.of("put", (Executor) s -> s.put("k", "v")),
                Arguments.of("get", (Executor) s -> s.get("k")),
                Arguments.of("getById", (Executor) s -> s.getById("00000000-0000-0000-0000-000000000000")),
                Arguments.of("update", (Executor) s -> s.update("00000000-0000-0000-0000-000000000000", "v")),
                Arguments.of("delete", (Executor) s -> s.delete("00000000-0000-0000-0000-000000000000")),
                Arguments.of("list", (Executor) TenantSettingsServiceImpl::list),
                Arguments.of("deleteAll", (Executor) TenantSettingsServiceImpl::deleteAll));
    }

    interface Executor {
        void run(TenantSettingsServiceImpl s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMethod")
    @DisplayName("TEN-1: every settings method without a tenant context throws NoTenantContextException")
    void noContext(String name, Executor call) throws Exception {
        putAsA("k", "v");
        NoTenantContextException e = assertThrows(NoTenantContextException.class, () -> call.run(settings));
        assertEquals(NoTenantContextException.CODE, e.code());
        assertEquals(1, rowsOf(a), name + " without context must not change anything");
    }

    @Test
    @DisplayName("TEN-7: invalid keys and over-long values are refused")
    void validation() {
        for (String key : new String[] {null, "", "a b", "k/../x", "x".repeat(101), "ключ"}) {
            assertThrows(InvalidTenantDataException.class, () -> asA(() -> settings.put(key, "v")), String.valueOf(key));
        }
        assertThrows(InvalidTenantDataException.class, () -> asA(() -> settings.put("k", null)));
        assertThrows(InvalidTenantDataException.class, () -> asA(() -> settings.put("k", "x".repeat(4001))));
        assertEquals(4000, putAsA("k", "x".repeat(4000)).value().length());
        assertEquals("x".repeat(100), putAsA("x".repeat(100), "v").key());
    }

    @Nested
    @DisplayName("TenantGuard on a raw EntityManager")
    class Guard {
        private TenantSetting secret;

        @BeforeEach
        void write() {
            secret = putAsA("api.token", "a-secret");
        }

        private void assertRefused(Executable work) {
            Throwable t = assertThrows(Throwable.class, work);
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof NoTenantContextException) {
                    return;
                }
            }
            fail("expected NoTenantContextException in the cause chain of " + t, t);
        }

        @Test
        @DisplayName("TEN-1: a JPQL query on TenantSetting without a tenant property is refused by TenantGuard")
        void jpqlRefused() {
            EntityManager em = db.emf.createEntityManager();
            try {
                assertRefused(() -> em.createQuery("SELECT s FROM TenantSetting s", TenantSettingEntity.class).getResultList());
            } finally {
                em.close();
            }
        }

        @Test
        @DisplayName("TEN-1: find by primary key without a tenant property is refused by TenantGuard")
        void findRefused() {
            EntityManager em = db.emf.createEntityManager();
            try {
                assertRefused(() -> em.find(TenantSettingEntity.class, secret.id()));
            } finally {
                em.close();
            }
        }

        @Test
        @DisplayName("TEN-1: a bulk JPQL delete without a tenant property is refused and deletes nothing")
        void bulkDeleteRefused() throws Exception {
            EntityManager em = db.emf.createEntityManager();
            EntityTransaction tx = em.getTransaction();
            try {
                tx.begin();
                assertRefused(() -> em.createQuery("DELETE FROM TenantSetting s").executeUpdate());
            } finally {
                if (tx.isActive()) {
                    tx.rollback();
                }
                em.close();
            }
            assertEquals(1, rowsOf(a));
        }

        @Test
        @DisplayName("TEN-1: persisting a TenantSetting without a tenant property is refused")
        void insertRefused() throws Exception {
            EntityManager em = db.emf.createEntityManager();
            EntityTransaction tx = em.getTransaction();
            try {
                tx.begin();
                TenantSettingEntity e = new TenantSettingEntity();
                e.id = "11111111-1111-1111-1111-111111111111";
                e.key = "orphan";
                e.value = "v";
                e.updatedAt = T0;
                assertRefused(() -> {
                    em.persist(e);
                    em.flush();
                });
            } finally {
                if (tx.isActive()) {
                    tx.rollback();
                }
                em.close();
            }
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mamori_tenant_setting")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }

        @Test
        @DisplayName("TEN-1: with the tenant property set, EclipseLink scopes even an unfiltered query to that tenant")
        void discriminatorScopes() {
            asB(() -> settings.put("b.only", "x"));
            asB(() -> {
                EntityManager em = db.emf.createEntityManager(Map.of(TenantScoped.CONTEXT_PROPERTY, b.id()));
                try {
                    List<String> keys = em.createQuery("SELECT s FROM TenantSetting s", TenantSettingEntity.class)
                            .getResultList().stream().map(s -> s.key).collect(Collectors.toList());
                    assertEquals(List.of("b.only"), keys);
                    assertEquals(null, em.find(TenantSettingEntity.class, secret.id()));
                } finally {
                    em.close();
                }
                return null;
            });
        }

        @Test
        @DisplayName("TEN-1: an EntityManager opened for tenant A is refused while B is bound: the guard checks the context, not just the property")
        void propertyMustMatchTheContext() {
            EntityManager em = db.emf.createEntityManager(Map.of(TenantScoped.CONTEXT_PROPERTY, a.id()));
            try {
                // no context at all
                assertRefused(() -> em.createQuery("SELECT s FROM TenantSetting s", TenantSettingEntity.class).getResultList());
                // B bound, A's EntityManager
                Throwable t = assertThrows(Throwable.class, () -> asB(() -> em.createQuery("SELECT s FROM TenantSetting s",
                        TenantSettingEntity.class).getResultList()));
                assertTrue(dev.mamori.platform.error.MamoriException.find(t).map(m -> m.code()).orElse("").equals("tenant-context-conflict"),
                        String.valueOf(t));
                assertThrows(Throwable.class, () -> asB(() -> em.find(TenantSettingEntity.class, secret.id())));
            } finally {
                em.close();
            }
        }

        @Test
        @DisplayName("TEN-1, SEC-1: native SQL on the tenant-scoped unit is refused, also when a query hint lifts EclipseLink's own ban")
        void nativeQueriesRefused() throws Exception {
            String hint = "eclipselink.jdbc.allow-native-sql-query";
            for (java.util.function.Function<EntityManager, javax.persistence.Query> query : List.<java.util.function.Function<EntityManager,
                    javax.persistence.Query>>of(
                    em -> em.createNativeQuery("SELECT setting_value FROM mamori_tenant_setting"),
                    em -> em.createNativeQuery("DELETE FROM mamori_tenant_setting"),
                    em -> em.createNativeQuery("SELECT * FROM mamori_tenant_setting", TenantSettingEntity.class))) {
                // EclipseLink bans native SQL on a multitenant unit by default
                assertThrows(Throwable.class, () -> asB(() -> tx(em -> run(query.apply(em)))));
                // a hint lifts that ban for one query; the guard still refuses it, with or without a tenant bound
                Throwable t = assertThrows(Throwable.class, () -> asB(() -> tx(em -> run(query.apply(em).setHint(hint, true)))));
                assertTrue(dev.mamori.platform.error.MamoriException.find(t).isPresent(), String.valueOf(t));
                Throwable unbound = assertThrows(Throwable.class, () -> tx(em -> run(query.apply(em).setHint(hint, true))));
                assertTrue(dev.mamori.platform.error.MamoriException.find(unbound).isPresent(), String.valueOf(unbound));
            }
            assertEquals(1, rowsOf(a), "nothing was deleted");
        }

        private Object run(javax.persistence.Query q) {
            return q.toString().contains("DELETE") || isDelete(q) ? q.executeUpdate() : q.getResultList();
        }

        private boolean isDelete(javax.persistence.Query q) {
            return String.valueOf(q.unwrap(org.eclipse.persistence.queries.DatabaseQuery.class).getSQLString()).startsWith("DELETE");
        }

        private <T> T tx(java.util.function.Function<EntityManager, T> work) {
            Map<String, Object> props = context.currentTenantId().<Map<String, Object>>map(id -> Map.of(TenantScoped.CONTEXT_PROPERTY, id))
                    .orElse(Map.of());
            return dev.mamori.platform.db.Transactions.inTransaction(db.emf, props, work);
        }

        @Test
        @DisplayName("TEN-1: tenants themselves are platform-level and readable without a tenant property")
        void tenantTableNotGuarded() {
            EntityManager em = db.emf.createEntityManager();
            try {
                assertEquals(2, em.createQuery("SELECT t FROM Tenant t", TenantEntity.class).getResultList().size());
            } finally {
                em.close();
            }
        }
    }
}
