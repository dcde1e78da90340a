package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.auth.UserState;

/**
 * The same account life on H2 and PostgreSQL (skipped when PostgreSQL is not reachable, failing
 * under -Dmamori.it.postgres=required): the migrations' unique constraints, the bulk updates of the
 * counters, sessions and TOTP steps, NULLs after erasure.
 */
class AuthDatabasesTest {
    private static AuthDb postgres;

    private static synchronized AuthDb db(String kind) {
        if (kind.equals("H2")) {
            return AuthDb.h2();
        }
        if (postgres == null) {
            postgres = AuthDb.postgres();
        }
        return postgres;
    }

    @AfterAll
    static synchronized void dropPostgres() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-1, IAM-3, IAM-5, IAM-9, IAM-11, SEC-4: account life, lockout, TOTP and erasure")
    void accountLife(String kind) {
        AuthFixture fx = new AuthFixture(db(kind));
        String tenant = fx.newTenant();
        String other = fx.newTenant();
        Profile taroProfile = new Profile("Taro", "taro@example.jp", null, null, null);
        User taro = fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), taroProfile, EMPLOYEE_PASSWORD);
        fx.create(other, "taro", "E-1", Set.of(Roles.EMPLOYEE), taroProfile, EMPLOYEE_PASSWORD);
        assertEquals(AuthErrors.USER_CONFLICT, assertThrows(AuthException.class,
                () -> fx.create(tenant, "taro", "E-2", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD)).errorCode());
        // accounts without e-mail or after erasure leave NULLs, which the unique constraints allow many of
        User a = fx.create(tenant, "a1", "E-3", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        User b = fx.create(tenant, "b1", "E-4", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        fx.asAdmin(tenant, () -> fx.users.erase(a.id(), a.id()));
        fx.asAdmin(tenant, () -> fx.users.erase(b.id(), b.id()));

        // lockout with the bulk counter updates
        SignIn s = fx.signIn(tenant, "taro@example.jp", EMPLOYEE_PASSWORD);
        for (int i = 0; i < 5; i++) {
            assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
        }
        assertEquals(AuthErrors.SESSION_INVALID, assertThrows(AuthException.class, () -> fx.auth.authenticate(s.token())).errorCode());
        assertTrue(fx.asAdmin(tenant, () -> fx.users.find(taro.id())).orElseThrow().locked());
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(other, "taro", EMPLOYEE_PASSWORD).state(), "the other tenant's taro is not locked");
        fx.asAdmin(tenant, () -> fx.users.unlock(taro.id()));

        // TOTP: conditional step update, replay refused
        SignIn s2 = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        TotpSupport.Enrolled e = TotpSupport.enrol(fx, s2.token());
        fx.clock.advance(Duration.ofSeconds(30));
        String code = TotpSupport.code(e.secret(), fx.clock.instant());
        SignIn pw = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.AUTHENTICATED, AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.verifyMfa(pw.token(), "totp", code)).state());
        SignIn pw2 = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertThrows(AuthException.class, () -> AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.verifyMfa(pw2.token(), "totp", code)));
        assertEquals(SessionState.AUTHENTICATED, AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.recover(pw2.token(), e.confirmation().recoveryCodes().get(3))).state());

        // allow-list rows
        fx.asAdmin(tenant, () -> fx.allowLists.replace(List.of("2001:db8::/32", AuthFixture.ADMIN_IP)));
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));

        // erasure
        User erased = fx.asAdmin(tenant, () -> fx.users.erase(taro.id(), taro.id()));
        assertEquals(UserState.ERASED, erased.state());
        var row = AuthDb.query(fx.db.mainDs(), "SELECT email_index, employee_number, login_name FROM mamori_auth_user WHERE id = ?",
                taro.id()).get(0);
        assertNull(row.get("email_index"));
        assertNull(row.get("employee_number"));
        assertFalse(String.valueOf(row.get("login_name")).contains("taro"));
        assertEquals(0, AuthDb.query(fx.db.piiDs(), "SELECT user_id FROM mamori_auth_profile WHERE user_id = ?", taro.id()).size());
        assertEquals(3, fx.asAdmin(tenant, () -> fx.users.list()).stream().filter(u -> u.state() == UserState.ERASED).count());
    }

    private static int column(AuthFixture fx, String column, String userId) {
        return ((Number) AuthDb.query(fx.db.mainDs(), "SELECT " + column + " FROM mamori_auth_user WHERE id = ?", userId).get(0)
                .get(column)).intValue();
    }

    private static long failures(AuthFixture fx, String reason) {
        return fx.events.of(dev.mamori.auth.AuthEvents.SIGN_IN_FAILED).stream().filter(e -> reason.equals(e.details().get("reason")))
                .count();
    }

    /** Runs {@code clients} threads at once (a barrier), each making {@code each} calls; @return the outcomes ("ok" or the error code) */
    private static List<String> parallel(int clients, int each, java.util.concurrent.Callable<?> call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
        try {
            List<java.util.concurrent.Future<List<String>>> done = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    start.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    List<String> outcomes = new java.util.ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        try {
                            call.call();
                            outcomes.add("ok");
                        } catch (AuthException e) {
                            outcomes.add(e.code());
                        }
                    }
                    return outcomes;
                }));
            }
            List<String> all = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<List<String>> f : done) {
                all.addAll(f.get(300, java.util.concurrent.TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-9, OPS-4: 8 wrong passwords at once with a limit of 6: exactly 6 checked and counted (one-statement "
            + "reservations, no lost update), 2 refused as locked, one lock")
    void parallelFailuresAllCount(String kind) throws Exception {
        AuthFixture fx = new AuthFixture(db(kind), java.util.Map.of("lockout_failures", 6, "throttle_failures", 100));
        String tenant = fx.newTenant();
        User taro = fx.employee(tenant, "taro");
        List<String> outcomes = parallel(8, 1, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
        assertEquals(java.util.Collections.nCopies(8, AuthErrors.INVALID_CREDENTIALS.code()), outcomes);
        assertEquals(6, failures(fx, "wrong-password"), "passwords checked against the account");
        assertEquals(2, failures(fx, "locked"), "refused without a check");
        assertEquals(6, column(fx, "failed_count", taro.id()));
        assertEquals(0, column(fx, "pending_count", taro.id()), "every reservation was settled");
        assertTrue(fx.asAdmin(tenant, () -> fx.users.find(taro.id())).orElseThrow().locked());
        assertEquals(1, fx.events.of(dev.mamori.auth.AuthEvents.LOCKED).size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-9, SEC-12 (availability): 6 clients signing in to one account with the right password at once all succeed "
            + "(a success takes back its own reservation only), and the address's failure budget is untouched")
    void parallelRightPasswordsAllSucceed(String kind) throws Exception {
        AuthFixture fx = new AuthFixture(db(kind));
        String tenant = fx.newTenant();
        User taro = fx.employee(tenant, "taro");
        List<String> outcomes = parallel(6, 8, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        assertEquals(java.util.Collections.nCopies(48, "ok"), outcomes);
        assertEquals(List.of(), fx.events.of(dev.mamori.auth.AuthEvents.SIGN_IN_FAILED));
        assertEquals(0, column(fx, "failed_count", taro.id()));
        assertEquals(0, column(fx, "pending_count", taro.id()));
        // the address still has all its 20 failures
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(AuthErrors.INVALID_CREDENTIALS, assertThrows(AuthException.class,
                        () -> fx.signIn(tenant, "nobody", "Wrong-pass1")).errorCode());
            }
        }
        assertEquals(AuthErrors.TOO_MANY_ATTEMPTS, assertThrows(AuthException.class,
                () -> fx.signIn(tenant, "nobody", "Wrong-pass1")).errorCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-9, OPS-4: a success gives back its own reservation only; checks still in progress keep theirs and settle "
            + "as what they turn out to be")
    void successKeepsOtherReservations(String kind) {
        AuthFixture fx = new AuthFixture(db(kind));
        String tenant = fx.newTenant();
        String id = fx.employee(tenant, "taro").id();
        Space space = Space.of(tenant);
        for (int i = 0; i < 3; i++) {
            // three checks in progress (on this node or another)
            assertTrue(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)));
        }
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).state());
        // the three still hold their places: two more checks may start, not a third
        fx.attempts.maxWaits = 0;
        assertTrue(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)));
        assertTrue(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)));
        assertFalse(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)), "5 checks in progress: the limit");
        for (int i = 0; i < 4; i++) {
            assertTrue(fx.asAdmin(tenant, () -> fx.attempts.reservedSucceeded(space, id, true)), "success " + i + " is no 'lock landed'");
        }
        fx.asAdmin(tenant, () -> {
            fx.attempts.reservedFailed(space, id);
            return null;
        });
        assertEquals(0, column(fx, "pending_count", id));
        assertEquals(1, column(fx, "failed_count", id), "the failure after the successes counts");
        assertFalse(fx.asAdmin(tenant, () -> fx.users.find(id)).orElseThrow().locked());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-9, OPS-4: reservations of a node that died mid-check lapse after the lease; live ones count against the limit")
    void lapsedReservations(String kind) {
        AuthFixture fx = new AuthFixture(db(kind));
        fx.attempts.maxWaits = 2;
        String tenant = fx.newTenant();
        User taro = fx.employee(tenant, "taro");
        String id = taro.id();
        Space space = Space.of(tenant);
        for (int i = 0; i < 5; i++) {
            assertTrue(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)), "reservation " + i);
        }
        assertFalse(fx.asAdmin(tenant, () -> fx.attempts.reserve(space, id)), "5 checks in progress: the limit");
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        assertEquals("locked", fx.events.last(dev.mamori.auth.AuthEvents.SIGN_IN_FAILED).details().get("reason"));
        fx.clock.advance(Attempts.RESERVATION_LEASE.plusSeconds(1));
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).state());
        assertEquals(0, column(fx, "pending_count", id));
        assertFalse(fx.asAdmin(tenant, () -> fx.users.find(id)).orElseThrow().locked(), "lapsed reservations are no failures");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    @DisplayName("IAM-3: a name taken by a concurrent request between the check and the insert is a conflict, and no profile is left behind")
    void uniqueConstraintRace(String kind) {
        AuthFixture fx = new AuthFixture(db(kind));
        String tenant = fx.newTenant();
        fx.vault.beforeEncryptPersonal = () -> {
            fx.vault.beforeEncryptPersonal = null;
            long now = System.currentTimeMillis();
            // what another node's create() writes after this one checked the names
            AuthDb.update(fx.db.mainDs(), "INSERT INTO mamori_auth_user (id, tenant_id, login_name, employee_number, roles, permissions, "
                    + "state, failed_count, mfa_last_step, created_at, updated_at, version) VALUES (?, ?, 'taro', 'E-9', 'employee', '', "
                    + "'ACTIVE', 0, 0, ?, ?, 1)", UUID.randomUUID().toString(), tenant, now, now);
        };
        AuthException e = assertThrows(AuthException.class,
                () -> fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), new Profile("Taro", null, null, null, null), EMPLOYEE_PASSWORD));
        assertEquals(AuthErrors.USER_CONFLICT, e.errorCode());
        assertEquals(0, AuthDb.query(fx.db.piiDs(), "SELECT user_id FROM mamori_auth_profile WHERE tenant_id = ?", tenant).size());
        assertEquals(1, AuthDb.query(fx.db.mainDs(), "SELECT id FROM mamori_auth_user WHERE tenant_id = ?", tenant).size());
    }
}
