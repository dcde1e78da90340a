package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * The unit of work (issue #15, AUD-1, AUD-3): what its participants write on the main store commits
 * or rolls back together; the PII store commits after the main store; each step is failed in turn.
 */
@DisplayName("AUD-1: one unit of work, its phases, and the main/PII guarantee")
class UnitEngineTest {
    private final AtomicBoolean failMainCommit = new AtomicBoolean();
    private final AtomicBoolean failPiiCommit = new AtomicBoolean();
    private final List<UnitEngine.Incomplete> incomplete = new CopyOnWriteArrayList<>();
    private DataSource mainPool;
    private DataSource piiPool;
    private UnitDataSource main;
    private UnitDataSource pii;
    private final UnitOfWork units = UnitOfWork.get();

    @BeforeEach
    void stores() throws SQLException {
        mainPool = failing(h2("main"), failMainCommit);
        piiPool = failing(h2("pii"), failPiiCommit);
        main = new UnitDataSource(UnitDataSource.MAIN_STORE, mainPool);
        pii = new UnitDataSource(UnitDataSource.PII_STORE, piiPool);
        for (DataSource ds : List.of(mainPool, piiPool)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v VARCHAR(64))");
            }
        }
        UnitEngine.incompleteListener(incomplete::add);
    }

    @AfterEach
    void reset() {
        UnitEngine.incompleteListener(null);
        UnitEngine.executor(null);
        assertFalse(UnitEngine.active(), "no unit left behind on the thread");
    }

    private static DataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** A pool whose connections refuse to commit while the flag is set (a database that says no at the end). */
    private static DataSource failing(DataSource ds, AtomicBoolean fail) {
        return (DataSource) Proxy.newProxyInstance(UnitEngineTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    Object r = invoke(ds, m, a);
                    if (!(r instanceof Connection)) {
                        return r;
                    }
                    Connection c = (Connection) r;
                    return Proxy.newProxyInstance(UnitEngineTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p2, m2, a2) -> {
                                if ("commit".equals(m2.getName()) && fail.get()) {
                                    throw new SQLException("commit refused (test)");
                                }
                                return invoke(c, m2, a2);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void insert(DataSource ds, String v) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES ('" + v + "')");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the committed rows, read outside any unit */
    private static List<String> rows(DataSource pool) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    @Test
    @DisplayName("participants share one connection per store: they see each other's rows and commit together")
    void participantsShareTheUnitsConnection() throws Exception {
        units.run(() -> {
            insert(main, "capability");
            try (Connection c = main.getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                assertEquals(1, r.getInt(1), "the audit writer sees the action's uncommitted row");
                assertFalse(c.getAutoCommit());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            insert(main, "audit");
            try {
                assertEquals(List.of(), rows(mainPool), "nothing is visible before the unit commits");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(List.of("audit", "capability"), rows(mainPool));
        // outside a unit, a connection of the pool
        try (Connection a = main.getConnection(); Connection b = main.getConnection()) {
            assertNotSame(a, b);
            assertTrue(a.getAutoCommit());
        }
    }

    @Test
    @DisplayName("the work fails: nothing on either store")
    void workFails() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> units.run(() -> {
            insert(main, "capability");
            insert(pii, "profile");
            throw new IllegalArgumentException("refused");
        }));
        assertEquals(List.of(), rows(mainPool));
        assertEquals(List.of(), rows(piiPool));
    }

    @Test
    @DisplayName("a participant's transaction rolls back and its caller carries on: the whole unit rolls back (fail closed)")
    void participantRollbackMakesTheUnitFail() throws Exception {
        MamoriException e = assertThrows(MamoriException.class, () -> units.run(() -> {
            insert(main, "capability");
            try (Connection c = main.getConnection()) {
                c.rollback();
            } catch (SQLException x) {
                throw new IllegalStateException(x);
            }
        }));
        assertEquals(PlatformErrors.UNIT_ROLLED_BACK.code(), e.code());
        assertEquals(List.of(), rows(mainPool));
    }

    @Test
    @DisplayName("a before-commit check vetoes: everything rolls back, also what the check wrote")
    void beforeCommitVetoes() throws Exception {
        List<String> order = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            insert(main, "capability");
            insert(pii, "profile");
            units.beforeCommit(() -> {
                order.add("first check");
                insert(main, "audit-seal");
            });
            units.beforeCommit(() -> {
                order.add("veto");
                throw new IllegalStateException("vetoed");
            });
        }));
        assertEquals(List.of("first check", "veto"), order);
        assertEquals(List.of(), rows(mainPool));
        assertEquals(List.of(), rows(piiPool));
    }

    @Test
    @DisplayName("the main store refuses its commit: the PII store never commits either")
    void mainCommitFails() throws Exception {
        failMainCommit.set(true);
        MamoriException e = assertThrows(MamoriException.class, () -> units.run(() -> {
            insert(main, "capability");
            insert(pii, "profile");
        }));
        assertEquals(PlatformErrors.UNIT_ROLLED_BACK.code(), e.code());
        failMainCommit.set(false);
        assertEquals(List.of(), rows(mainPool));
        assertEquals(List.of(), rows(piiPool));
        assertEquals(List.of(), incomplete);
    }

    @Test
    @DisplayName("the PII store refuses after the main store committed: the events stay, a follow-up says so, compensations run")
    void piiCommitFails() throws Exception {
        failPiiCommit.set(true);
        List<String> compensated = new ArrayList<>();
        List<String> late = new ArrayList<>();
        MamoriException e = assertThrows(MamoriException.class, () -> units.run(() -> {
            insert(main, "capability");
            insert(pii, "profile");
            UnitEngine.recordEvent("auth.user.updated u-1");
            units.onIncomplete(() -> {
                compensated.add("undo");
                insert(main, "compensated");
            });
            units.afterCommit(() -> late.add("late"));
        }));
        failPiiCommit.set(false);
        assertEquals(PlatformErrors.UNIT_INCOMPLETE.code(), e.code());
        assertEquals(List.of("capability", "compensated"), rows(mainPool));
        assertEquals(List.of(), rows(piiPool));
        assertEquals(List.of("undo"), compensated);
        assertEquals(1, incomplete.size());
        assertEquals(List.of(UnitDataSource.PII_STORE), incomplete.get(0).failedStores());
        assertEquals(List.of("auth.user.updated u-1"), incomplete.get(0).events());
        assertEquals(List.of(), late, "after-commit work of an incomplete unit does not run");
    }

    @Test
    @DisplayName("PII work alone: a refused commit is an ordinary rollback")
    void piiAloneFails() throws Exception {
        failPiiCommit.set(true);
        MamoriException e = assertThrows(MamoriException.class, () -> units.run(() -> insert(pii, "profile")));
        failPiiCommit.set(false);
        assertEquals(PlatformErrors.UNIT_ROLLED_BACK.code(), e.code());
        assertEquals(List.of(), incomplete);
    }

    @Test
    @DisplayName("after commit: asynchronous, after both stores committed, never on rollback, never failing the action")
    void afterCommit() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(2);
        AtomicReference<List<String>> seen = new AtomicReference<>();
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        UnitEngine.executor(executor);
        try {
            units.run(() -> {
                insert(main, "capability");
                insert(pii, "profile");
                units.afterCommit(() -> {
                    threads.add(Thread.currentThread());
                    try {
                        // a slow listener: the action has long returned
                        release.await(10, TimeUnit.SECONDS);
                        seen.set(rows(piiPool));
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                    ran.countDown();
                    throw new IllegalStateException("a failing listener");
                });
                units.afterCommit(ran::countDown);
            });
            assertEquals(List.of("capability"), rows(mainPool), "the action returned while the listener still waits");
            release.countDown();
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("profile"), seen.get());
            assertNotSame(Thread.currentThread(), threads.get(0));

            CountDownLatch never = new CountDownLatch(1);
            assertThrows(IllegalStateException.class, () -> units.run(() -> {
                units.afterCommit(never::countDown);
                throw new IllegalStateException("rolled back");
            }));
            executor.submit(() -> null).get(10, TimeUnit.SECONDS);
            assertEquals(1, never.getCount());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @DisplayName("independent work commits at once, and the caller's rollback does not undo it")
    void independent() throws Exception {
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            insert(main, "action");
            units.independent(() -> {
                insert(main, "counter");
                return null;
            });
            try {
                assertEquals(List.of("counter"), rows(mainPool), "committed before the caller's unit ends");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the action fails");
        }));
        assertEquals(List.of("counter"), rows(mainPool));
    }

    @Test
    @DisplayName("nested calls join the outer unit; phases need one")
    void nestedCallsJoin() throws Exception {
        assertThrows(IllegalStateException.class, () -> units.afterCommit(() -> { }));
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            String outer = units.current().orElseThrow();
            units.run(() -> {
                assertEquals(outer, units.current().orElseThrow());
                insert(main, "inner");
            });
            throw new IllegalStateException("outer fails");
        }));
        assertEquals(List.of(), rows(mainPool));
    }
}
