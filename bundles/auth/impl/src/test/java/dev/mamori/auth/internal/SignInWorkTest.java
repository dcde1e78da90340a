package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.USER_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;

/**
 * IAM-9: no enumeration by timing. Every failed sign-in asks the database for the same work as a
 * wrong password (the same transactions with the same statements, reads and writes), whatever the
 * reason; counted through the {@link AuthStore} seam ({@link CountingAuthStore}), not timed.
 */
class SignInWorkTest {
    private static final String WRONG = "Wrong-pass1";
    private static final String OPERATOR_PASSWORD = "Operator-Pass-2026x";

    @Test
    @DisplayName("IAM-9: unknown account or tenant, wrong password, locked, deactivated, erased, outside the allow-list, platform "
            + "accounts: one answer after the same database work (two write transactions: reservation and settlement)")
    void everyFailureDoesTheSameWork() {
        AuthFixture fx = new AuthFixture(AuthDb.h2(), Map.of("throttle_failures", 100));
        String tenant = fx.newTenant();
        fx.employee(tenant, "taro");
        User jiro = fx.employee(tenant, "jiro");
        fx.asAdmin(tenant, () -> fx.users.deactivate(jiro.id()));
        User saburo = fx.employee(tenant, "saburo");
        String erased = fx.asAdmin(tenant, () -> fx.users.erase(saburo.id(), saburo.id())).loginName();
        fx.employee(tenant, "shiro");
        for (int i = 0; i < 5; i++) {
            assertThrows(AuthException.class, () -> fx.signIn(tenant, "shiro", WRONG));
        }
        String fenced = fx.newTenant();
        fx.employee(fenced, "hanako");
        fx.asAdmin(fenced, () -> fx.allowLists.replace(List.of("203.0.113.0/24", AuthFixture.ADMIN_IP)));
        String operator = "op-" + UUID.randomUUID().toString().substring(0, 8);
        PlatformAccountServiceImpl platform = new PlatformAccountServiceImpl(fx.store, fx.accounts, fx.sessions, fx.events, fx.clock,
                AuthConfigs.defaults());
        String token = ExecutionContext.builder(Channel.SHELL).principal(Principal.operator("op-test", Set.of(Roles.OPERATOR))).build()
                .call(() -> platform.create(operator, Roles.OPERATOR));
        AuthFixture.from(USER_IP, () -> {
            fx.auth.resetPassword(null, token, OPERATOR_PASSWORD.toCharArray());
            return null;
        });

        Map<String, Runnable> paths = new LinkedHashMap<>();
        paths.put("wrong-password", () -> fx.signIn(tenant, "taro", WRONG));
        paths.put("unknown-account", () -> fx.signIn(tenant, "nobody", WRONG));
        paths.put("unknown-tenant", () -> fx.signIn("no-such-tenant", "taro", WRONG));
        paths.put("deactivated", () -> fx.signIn(tenant, "jiro", EMPLOYEE_PASSWORD));
        paths.put("erased", () -> fx.signIn(tenant, erased, EMPLOYEE_PASSWORD));
        paths.put("locked", () -> fx.signIn(tenant, "shiro", EMPLOYEE_PASSWORD));
        paths.put("ip-refused", () -> fx.signIn(fenced, "hanako", EMPLOYEE_PASSWORD));
        paths.put("platform wrong-password", () -> fx.signIn(null, operator, WRONG));
        paths.put("platform unknown-account", () -> fx.signIn(null, "no-such-operator", WRONG));
        Map<String, List<List<String>>> work = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            // the first round warms what is cached (the allow-lists); the second is recorded
            for (Map.Entry<String, Runnable> p : paths.entrySet()) {
                fx.events.clear();
                List<List<String>> txs = fx.store.record(() -> {
                    AuthException e = assertThrows(AuthException.class, p.getValue()::run, p.getKey());
                    assertEquals(AuthErrors.INVALID_CREDENTIALS, e.errorCode(), p.getKey());
                });
                String reason = fx.events.last(AuthEvents.SIGN_IN_FAILED).details().get("reason");
                assertEquals(p.getKey().replace("platform ", ""), reason, "the path taken");
                work.put(p.getKey(), txs);
            }
        }
        List<List<String>> wrongPassword = work.get("wrong-password");
        assertEquals(2, wrongPassword.stream().filter(tx -> tx.contains("write")).count(), "reservation and settlement: " + work);
        for (Map.Entry<String, List<List<String>>> w : work.entrySet()) {
            assertEquals(wrongPassword, w.getValue(), w.getKey() + " against a wrong password: " + work);
        }
    }

    @Test
    @DisplayName("IAM-9: the counting seam sees the work: a failed sign-in is a lookup, a reservation and a settlement; "
            + "a successful one opens a session besides")
    void theSeamCounts() {
        AuthFixture fx = new AuthFixture(AuthDb.h2());
        String tenant = fx.newTenant();
        fx.employee(tenant, "taro");
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", WRONG));
        List<List<String>> failed = fx.store.record(() -> assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", WRONG)));
        List<List<String>> succeeded = fx.store.record(() -> AuthFixture.from(USER_IP,
                () -> fx.auth.signIn(new Credentials(tenant, "taro", EMPLOYEE_PASSWORD.toCharArray()))));
        assertEquals(List.of("read"), failed.get(0), failed.toString());
        assertEquals(3, failed.size(), failed.toString());
        assertEquals(4, succeeded.size(), succeeded.toString());
        assertEquals(List.of("write"), succeeded.get(3), "the session: " + succeeded);
    }
}
