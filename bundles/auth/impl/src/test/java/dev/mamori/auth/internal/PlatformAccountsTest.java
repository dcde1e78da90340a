package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.PlatformAccount;
import dev.mamori.auth.Roles;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.auth.UserState;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;

/** OPS-1..3, IAM-9..11: operator and support accounts sign in like tenant users, without a tenant, always with TOTP. */
class PlatformAccountsTest {
    private static final String OPERATOR_PASSWORD = "Operator-Pass-2026x";
    private static final String OFFICE = "203.0.113.7";

    private final AuthFixture fx = new AuthFixture(AuthDb.h2(), Map.of("platform_allowlist", new String[] {"203.0.113.0/24"}));
    private final PlatformAccountServiceImpl platform = new PlatformAccountServiceImpl(fx.store, fx.accounts, fx.sessions, fx.events,
            fx.clock, AuthConfigs.of(Map.of()));

    private static <T> T asOperator(Supplier<T> work) {
        return ExecutionContext.builder(Channel.SHELL).principal(Principal.operator("op-test", Set.of(Roles.OPERATOR)))
                .clientIp(OFFICE).build().call(work);
    }

    private static String login() {
        return "op-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an account, sets its password with the reset token and enrols TOTP: a fully set-up operator. */
    private TotpSupport.Enrolled setUp(String login, String role) {
        String token = asOperator(() -> platform.create(login, role));
        AuthFixture.from(OFFICE, () -> {
            fx.auth.resetPassword(null, token, OPERATOR_PASSWORD.toCharArray());
            return null;
        });
        SignIn first = signIn(login, OPERATOR_PASSWORD);
        assertEquals(SessionState.MFA_ENROLMENT_REQUIRED, first.state(), "platform accounts must use MFA");
        return AuthFixture.from(OFFICE, () -> TotpSupport.enrol(fx, first.token()));
    }

    private SignIn signIn(String login, String password) {
        return AuthFixture.from(OFFICE, () -> fx.auth.signIn(new Credentials(null, login, password.toCharArray())));
    }

    @Test
    @DisplayName("OPS-1, IAM-11: operator set up by reset token and TOTP; then password + code gives an OPERATOR session of no tenant")
    void operatorSignsInWithPasswordAndCode() {
        String login = login();
        TotpSupport.Enrolled enrolled = setUp(login, Roles.OPERATOR);
        fx.clock.advance(java.time.Duration.ofSeconds(60));
        SignIn first = signIn(login, OPERATOR_PASSWORD);
        assertEquals(SessionState.MFA_REQUIRED, first.state());
        SignIn full = AuthFixture.from(OFFICE, () -> fx.auth.verifyMfa(first.token(), "totp",
                TotpSupport.code(enrolled.secret(), fx.clock.instant())));
        Session s = fx.auth.authenticate(full.token());
        assertEquals(PrincipalKind.OPERATOR, s.kind());
        assertNull(s.tenantId());
        assertEquals(PrincipalKind.OPERATOR, s.principal().kind());
        assertTrue(s.principal().tenantId().isEmpty());
        PlatformAccount a = asOperator(platform::list).stream().filter(x -> x.loginName().equals(login)).findFirst().orElseThrow();
        assertTrue(a.mfaEnrolled());
        assertEquals(UserState.ACTIVE, a.state());
    }

    @Test
    @DisplayName("OPS-2: a support account's session is SUPPORT, never OPERATOR")
    void supportIsSupport() {
        String login = login();
        TotpSupport.Enrolled e = setUp(login, Roles.SUPPORT);
        assertEquals(PrincipalKind.SUPPORT, fx.auth.authenticate(e.confirmation().signIn().token()).kind());
    }

    @Test
    @DisplayName("OPS-3: outside the platform allow-list, the right password is 'sign-in failed' and an event says why")
    void platformAllowList() {
        String login = login();
        setUp(login, Roles.OPERATOR);
        AuthException e = assertThrows(AuthException.class, () -> AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.signIn(new Credentials(null, login, OPERATOR_PASSWORD.toCharArray()))));
        assertEquals(AuthErrors.INVALID_CREDENTIALS.code(), e.code());
        assertEquals(OFFICE.equals(AuthFixture.USER_IP), false);
        assertEquals(AuthFixture.USER_IP, fx.events.last(AuthEvents.IP_REFUSED).clientIp().orElseThrow(), "the event names the address");
    }

    private boolean locked(String login) {
        return asOperator(platform::list).stream().filter(x -> x.loginName().equals(login)).findFirst().orElseThrow().locked();
    }

    @Test
    @DisplayName("IAM-9: platform accounts lock after 5 failures, not after 4; an operator unlocks")
    void lockout() {
        String login = login();
        setUp(login, Roles.OPERATOR);
        for (int i = 1; i <= 4; i++) {
            assertThrows(AuthException.class, () -> signIn(login, "Wrong-Pass-2026x"));
            assertFalse(locked(login), "not after " + i);
        }
        assertThrows(AuthException.class, () -> signIn(login, "Wrong-Pass-2026x"));
        assertTrue(locked(login));
        assertThrows(AuthException.class, () -> signIn(login, OPERATOR_PASSWORD), "locked: even the right password fails");
        asOperator(() -> platform.unlock(login));
        assertEquals(SessionState.MFA_REQUIRED, signIn(login, OPERATOR_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-9, OPS-3: anyone can lock an operator, so a platform lock ends by itself after platform.lockout.minutes (15), "
            + "even with lockout.minutes = 0; a tenant user's lock still lasts until unlocked")
    void platformLockIsBounded() {
        String login = login();
        setUp(login, Roles.OPERATOR);
        String tenant = fx.newTenant();
        User taro = fx.employee(tenant, "taro");
        for (int i = 0; i < 5; i++) {
            assertThrows(AuthException.class, () -> signIn(login, "Wrong-Pass-2026x"));
            assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
        }
        assertTrue(locked(login));
        fx.clock.advance(java.time.Duration.ofMinutes(14));
        assertThrows(AuthException.class, () -> signIn(login, OPERATOR_PASSWORD), "still locked after 14 minutes");
        assertEquals("locked", fx.events.last(AuthEvents.SIGN_IN_FAILED).details().get("reason"));
        fx.clock.advance(java.time.Duration.ofMinutes(1));
        assertFalse(locked(login), "the list says the lock is over");
        assertEquals(SessionState.MFA_REQUIRED, signIn(login, OPERATOR_PASSWORD).state());
        fx.clock.advance(java.time.Duration.ofDays(30));
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", AuthFixture.EMPLOYEE_PASSWORD));
        assertTrue(fx.asAdmin(tenant, () -> fx.users.find(taro.id())).orElseThrow().locked(), "tenant users as configured");
    }

    @Test
    @DisplayName("IAM-9: platform.lockout.minutes is 1 to 1440 minutes; 0 does not make a platform lock permanent")
    void platformLockBounds() {
        assertEquals(java.util.Optional.of(java.time.Duration.ofMinutes(15)),
                Attempts.platformPolicy(AuthConfigs.defaults()).lockFor(), "the shipped default");
        assertEquals(java.util.Optional.of(java.time.Duration.ofMinutes(1)),
                Attempts.platformPolicy(AuthConfigs.of(Map.of("platform_lockout_minutes", 0))).lockFor());
        assertEquals(java.util.Optional.of(java.time.Duration.ofMinutes(1440)),
                Attempts.platformPolicy(AuthConfigs.of(Map.of("platform_lockout_minutes", 1_000_000))).lockFor());
        assertEquals(7, Attempts.platformPolicy(AuthConfigs.of(Map.of("lockout_failures", 7))).maxFailures());
    }

    @Test
    @DisplayName("OPS-1, SEC-11: only operators (or the platform) manage platform accounts")
    void onlyOperatorsManage() {
        MamoriException e = assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST)
                .principal(Principal.support("s", Set.of(Roles.SUPPORT))).build().call(() -> platform.create(login(), Roles.OPERATOR)));
        assertEquals("forbidden", e.code());
        String tenant = fx.newTenant();
        assertThrows(MamoriException.class, () -> fx.asAdmin(tenant, () -> platform.create(login(), Roles.OPERATOR)));
        assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST).build().call(platform::list));
        AuthException bad = assertThrows(AuthException.class, () -> asOperator(() -> platform.create(login(), Roles.TENANT_ADMIN)));
        assertEquals(AuthErrors.INVALID_USER.code(), bad.code());
    }

    @Test
    @DisplayName("TEN-1: a tenant user's login name is no platform account, and a platform account is no tenant user")
    void spacesAreApart() {
        String tenant = fx.newTenant();
        User u = fx.employee(tenant, "shared-name");
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "shared-name", AuthFixture.EMPLOYEE_PASSWORD).state());
        assertThrows(AuthException.class, () -> signIn("shared-name", AuthFixture.EMPLOYEE_PASSWORD));
        String login = login();
        setUp(login, Roles.OPERATOR);
        assertThrows(AuthException.class, () -> fx.signIn(tenant, login, OPERATOR_PASSWORD));
        assertFalse(u.id().isEmpty());
    }

    @Test
    @DisplayName("IAM-6: promoting an employee to tenant-admin disables the password chosen under the ordinary rules")
    void promotionDisablesAWeakerPassword() {
        String tenant = fx.newTenant();
        User u = fx.employee(tenant, "to-be-admin");
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "to-be-admin", AuthFixture.EMPLOYEE_PASSWORD).state());
        fx.asAdmin(tenant, () -> fx.users.setRoles(u.id(), Set.of(Roles.EMPLOYEE, Roles.TENANT_ADMIN)));
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "to-be-admin", AuthFixture.EMPLOYEE_PASSWORD));
        User demoted = fx.asAdmin(tenant, () -> fx.users.setRoles(u.id(), Set.of(Roles.EMPLOYEE)));
        assertEquals(Set.of(Roles.EMPLOYEE), demoted.roles());
        assertEquals("true", fx.events.of(AuthEvents.ROLES_CHANGED).get(0).details().get("passwordDisabled"));
        assertEquals("false", fx.events.last(AuthEvents.ROLES_CHANGED).details().get("passwordDisabled"), "demotion keeps it");
    }
}
