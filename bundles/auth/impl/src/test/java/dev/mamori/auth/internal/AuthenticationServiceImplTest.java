package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.ADMIN_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.USER_IP;
import static dev.mamori.auth.internal.AuthFixture.from;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.PasswordRejectedException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.event.MamoriEvent;

/**
 * IAM-6..14, SEC-4, SEC-12: sign-in, lockout, TOTP, sessions and the allow-list through
 * AuthenticationServiceImpl on the real units (H2), with the brute-force cases of Keycloak's
 * BruteForceTest that apply (invalid password, invalid and missing OTP, success resets, temporary
 * and permanent lockout, unknown and disabled accounts, e-mail and login name counting together).
 */
class AuthenticationServiceImplTest {
    private static final String WRONG = "Wrong-pass1";
    private static final Profile TARO = new Profile("Taro Yamada", "Taro.Yamada@Example.co.jp", null, null, null);

    private AuthFixture fx;
    private String tenant;
    private String slug;

    @BeforeEach
    void setUp() {
        setUp(Map.of());
    }

    private void setUp(Map<String, ?> config) {
        fx = new AuthFixture(AuthDb.h2(), config);
        slug = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tenant = fx.db.newTenant(slug, "ACTIVE");
    }

    private User taro() {
        return fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), TARO, EMPLOYEE_PASSWORD);
    }

    private SignIn signIn(String login, String password) {
        return fx.signIn(tenant, login, password);
    }

    private static AuthException fails(ErrorCode code, Executable call) {
        AuthException e = assertThrows(AuthException.class, call);
        assertEquals(code, e.errorCode(), e.getMessage());
        return e;
    }

    private AuthException refused(String login, String password) {
        return fails(AuthErrors.INVALID_CREDENTIALS, () -> signIn(login, password));
    }

    private String lastFailureReason() {
        return fx.events.last(AuthEvents.SIGN_IN_FAILED).details().get("reason");
    }

    private boolean locked(String userId) {
        return fx.asAdmin(tenant, () -> fx.users.find(userId)).orElseThrow().locked();
    }

    private int failedCount(String userId) {
        return ((Number) AuthDb.query(fx.db.mainDs(), "SELECT failed_count FROM mamori_auth_user WHERE id = ?", userId).get(0)
                .get("failed_count")).intValue();
    }

    private <T> T user(Supplier<T> work) {
        return from(USER_IP, work);
    }

    // ---------------------------------------------------------------- password step

    @Test
    @DisplayName("IAM-13, SEC-4: a correct password gives a fully signed-in session; only the token's hash is stored")
    void signInSucceeds() {
        User u = taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.AUTHENTICATED, s.state());
        assertTrue(Secrets.isToken(s.token()));
        assertTrue(s.expiresAt().isAfter(AuthFixture.T0) && !s.expiresAt().isAfter(AuthFixture.T0.plus(Duration.ofHours(12))),
                s.expiresAt().toString());
        Session session = fx.auth.authenticate(s.token());
        assertEquals(tenant, session.tenantId());
        assertEquals(u.id(), session.userId());
        assertEquals(Set.of(Roles.EMPLOYEE), session.roles());
        assertEquals(s.csrfToken(), session.csrfToken());
        assertNotEquals(s.token(), s.csrfToken());
        assertFalse(s.toString().contains(s.token()) || session.toString().contains(s.token()), "tokens stay out of logs");
        assertFalse(new Credentials(tenant, "taro", EMPLOYEE_PASSWORD.toCharArray()).toString().contains(EMPLOYEE_PASSWORD));
        assertEquals(u.id(), session.principal().id());
        List<Map<String, Object>> rows = AuthDb.query(fx.db.mainDs(), "SELECT * FROM mamori_auth_session WHERE user_id = ?", u.id());
        assertEquals(1, rows.size());
        assertEquals(Secrets.hash(s.token()), rows.get(0).get("token_hash"));
        assertFalse(rows.get(0).values().toString().contains(s.token()), "the token itself is never stored");
        assertEquals(USER_IP, rows.get(0).get("client_ip"));
        MamoriEvent ok = fx.events.last(AuthEvents.SIGN_IN_SUCCEEDED);
        assertEquals(Optional.of(USER_IP), ok.clientIp());
        assertEquals(Optional.of(u.id()), ok.targetId());
        // by tenant id as well as slug, login name in any case
        assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, " TARO ", EMPLOYEE_PASSWORD).state());
        assertNotEquals(s.token(), fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).token(), "a new token at every sign-in");
    }

    @Test
    @DisplayName("CRY-4: signing in by e-mail finds the account through the blind index, in any case")
    void signInByEmail() {
        User u = taro();
        SignIn s = signIn("  taro.yamada@EXAMPLE.co.jp ", EMPLOYEE_PASSWORD);
        assertEquals(u.id(), fx.auth.authenticate(s.token()).userId());
        refused("taro.yamada@example.co.jp", WRONG);
        refused("hanako@example.co.jp", EMPLOYEE_PASSWORD);
        refused("@", EMPLOYEE_PASSWORD);
    }

    @Test
    @DisplayName("IAM-9: unknown tenant, unknown account, wrong password, deactivated, locked, erased: one answer")
    void oneAnswerForEveryFailure() {
        User u = taro();
        User jiro = fx.employee(tenant, "jiro");
        User saburo = fx.employee(tenant, "saburo");
        fx.asAdmin(tenant, () -> fx.users.deactivate(jiro.id()));
        String pseudonym = fx.asAdmin(tenant, () -> fx.users.erase(saburo.id(), saburo.id())).loginName();
        String deleted = fx.db.newTenant("gone-" + slug, "DELETED");
        String expired = fx.db.newTenant("old-" + slug, "EXPIRED");

        List<AuthException> answers = new java.util.ArrayList<>();
        answers.add(refused("taro", WRONG));
        assertEquals("wrong-password", lastFailureReason());
        answers.add(refused("nobody", EMPLOYEE_PASSWORD));
        assertEquals("unknown-account", lastFailureReason());
        answers.add(fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn("no-such-tenant", "taro", EMPLOYEE_PASSWORD)));
        assertEquals("unknown-tenant", lastFailureReason());
        answers.add(fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(deleted, "taro", EMPLOYEE_PASSWORD)));
        answers.add(fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn(expired, "taro", EMPLOYEE_PASSWORD)));
        answers.add(refused("jiro", EMPLOYEE_PASSWORD));
        assertEquals("deactivated", lastFailureReason());
        answers.add(refused("saburo", EMPLOYEE_PASSWORD));
        assertEquals("unknown-account", lastFailureReason(), "erasure freed the login name");
        answers.add(refused(pseudonym, EMPLOYEE_PASSWORD));
        assertEquals("erased", lastFailureReason());
        answers.add(fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.signIn(new Credentials(tenant, "taro", null)))));
        answers.add(fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.signIn(null))));
        for (int i = 0; i < 4; i++) {
            refused("taro", WRONG);
        }
        answers.add(refused("taro", EMPLOYEE_PASSWORD));
        assertEquals("locked", lastFailureReason());
        for (AuthException a : answers) {
            assertEquals("Sign-in failed.", a.getMessage());
            assertEquals(Optional.empty(), a.retryAfter());
        }
        // the reason goes to the audit trail only, with the address, never the password tried
        for (MamoriEvent e : fx.events.of(AuthEvents.SIGN_IN_FAILED)) {
            assertEquals(Optional.of(USER_IP), e.clientIp());
            assertEquals(MamoriEvent.Outcome.FAILURE, e.outcome());
            assertFalse(e.toString().contains(WRONG) || e.toString().contains(EMPLOYEE_PASSWORD), e.toString());
        }
        assertTrue(locked(u.id()));
    }

    @Test
    @DisplayName("IAM-9: no enumeration by timing - an unknown account or tenant costs a bcrypt check like a wrong password")
    void similarTiming() {
        User u = taro();
        // warm up (JIT, connections)
        refused("taro", WRONG);
        refused("nobody", WRONG);
        long wrong = medianNanos(() -> refused("taro", WRONG));
        fx.asAdmin(tenant, () -> fx.users.unlock(u.id()));
        long unknown = medianNanos(() -> refused("nobody", WRONG));
        long noTenant = medianNanos(() -> fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signIn("no-such-tenant", "taro", WRONG)));
        // bcrypt at cost 10 dominates; without the dummy hash the unknown cases would be tens of times faster
        for (long other : new long[] {unknown, noTenant}) {
            double ratio = (double) other / wrong;
            assertTrue(ratio > 0.25 && ratio < 4, "wrong password " + wrong / 1_000_000 + " ms vs " + other / 1_000_000 + " ms");
        }
    }

    private static long medianNanos(Runnable r) {
        long[] t = new long[3];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    // ---------------------------------------------------------------- lockout (IAM-9, Keycloak BruteForceTest)

    @Test
    @DisplayName("IAM-9: 5 consecutive wrong passwords lock; then the right one fails too, sessions end; an admin's unlock restores")
    void fiveFailuresLock() {
        User u = taro();
        SignIn before = signIn("taro", EMPLOYEE_PASSWORD);
        for (int i = 1; i <= 4; i++) {
            refused("taro", WRONG);
            assertFalse(locked(u.id()), "not after " + i);
        }
        refused("taro", WRONG);
        assertTrue(locked(u.id()));
        MamoriEvent lock = fx.events.last(AuthEvents.LOCKED);
        assertEquals("5", lock.details().get("failures"));
        assertEquals(Optional.of(u.id()), lock.targetId());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(before.token()));
        refused("taro", EMPLOYEE_PASSWORD);
        refused("taro", WRONG);
        assertEquals(1, fx.events.of(AuthEvents.LOCKED).size(), "locked once");

        fx.asAdmin(tenant, () -> fx.users.unlock(u.id()));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", EMPLOYEE_PASSWORD).state());
        assertEquals(0, failedCount(u.id()));
    }

    @Test
    @DisplayName("IAM-9: a missing password is a wrong one: it gets the same answer and counts towards the lock")
    void missingPasswordCounts() {
        User u = taro();
        for (int i = 1; i <= 5; i++) {
            AuthException e = org.junit.jupiter.api.Assertions.assertThrows(AuthException.class, () -> AuthFixture.from(AuthFixture.USER_IP,
                    () -> fx.auth.signIn(new dev.mamori.auth.Credentials(tenant, "taro", null))));
            assertEquals(AuthErrors.INVALID_CREDENTIALS.code(), e.code());
        }
        assertTrue(locked(u.id()));
    }

    @Test
    @DisplayName("IAM-9: a success resets the counter (4 failures, success, 4 failures: not locked)")
    void successResetsCounter() {
        User u = taro();
        for (int i = 0; i < 4; i++) {
            refused("taro", WRONG);
        }
        signIn("taro", EMPLOYEE_PASSWORD);
        assertEquals(0, failedCount(u.id()));
        for (int i = 0; i < 4; i++) {
            refused("taro", WRONG);
        }
        assertFalse(locked(u.id()));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-9: failures by login name and by e-mail count for the same account")
    void loginNameAndEmailCountTogether() {
        User u = taro();
        for (int i = 0; i < 3; i++) {
            refused("taro", WRONG);
        }
        refused("taro.yamada@example.co.jp", WRONG);
        refused("TARO.YAMADA@example.co.jp", WRONG);
        assertTrue(locked(u.id()));
        refused("taro.yamada@example.co.jp", EMPLOYEE_PASSWORD);
    }

    @Test
    @DisplayName("IAM-9: unknown accounts leave no trace; failures on a deactivated account do not count")
    void unknownAndDeactivatedDoNotCount() {
        User u = taro();
        for (int i = 0; i < 6; i++) {
            refused("ghost", WRONG);
        }
        assertEquals(0, AuthDb.query(fx.db.mainDs(), "SELECT id FROM mamori_auth_user WHERE login_name = 'ghost'").size());
        assertTrue(fx.events.of(AuthEvents.LOCKED).isEmpty());
        fx.asAdmin(tenant, () -> fx.users.deactivate(u.id()));
        for (int i = 0; i < 6; i++) {
            refused("taro", WRONG);
        }
        assertEquals(0, failedCount(u.id()));
        fx.asAdmin(tenant, () -> fx.users.reactivate(u.id()));
        assertFalse(locked(u.id()));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-9: with lockout_minutes the lock ends by itself after the period")
    void temporaryLockEnds() {
        setUp(Map.of("lockout_minutes", 15));
        User u = taro();
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        fx.clock.advance(Duration.ofMinutes(14));
        refused("taro", EMPLOYEE_PASSWORD);
        fx.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", EMPLOYEE_PASSWORD).state());
        assertFalse(locked(u.id()));
        assertEquals(0, failedCount(u.id()));
    }

    @Test
    @DisplayName("IAM-9: once a temporary lock has run out, the account no longer reads as locked")
    void lockedFlagFollowsPeriod() {
        setUp(Map.of("lockout_minutes", 15));
        User u = taro();
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        assertTrue(locked(u.id()));
        fx.clock.advance(Duration.ofMinutes(16));
        assertFalse(locked(u.id()), "User.locked says whether sign-in is locked now");
    }

    @Test
    @DisplayName("IAM-9: after a temporary lock has ended, 5 more consecutive failures lock again")
    void relocksAfterTemporaryLock() {
        setUp(Map.of("lockout_minutes", 15));
        User u = taro();
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        fx.clock.advance(Duration.ofMinutes(16));
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        // the attacker's guesses must be limited to 5 per lock period, not unlimited once the first lock expired
        refused("taro", EMPLOYEE_PASSWORD);
        assertTrue(locked(u.id()));
        assertEquals(2, fx.events.of(AuthEvents.LOCKED).size());
    }

    @Test
    @DisplayName("IAM-9: without lockout_minutes a lock lasts until an admin lifts it")
    void permanentLock() {
        User u = taro();
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        fx.clock.advance(Duration.ofDays(30));
        refused("taro", EMPLOYEE_PASSWORD);
        assertTrue(locked(u.id()));
    }

    @Test
    @DisplayName("IAM-9: a configured limit of 3 locks after 3")
    void configuredLimit() {
        setUp(Map.of("lockout_failures", 3));
        User u = taro();
        refused("taro", WRONG);
        refused("taro", WRONG);
        assertFalse(locked(u.id()));
        refused("taro", WRONG);
        assertTrue(locked(u.id()));
    }

    // ---------------------------------------------------------------- TOTP (IAM-10, IAM-11)

    /** Signs in, enrols TOTP, and moves the clock to the next time step. @return the secret */
    private TotpSupport.Enrolled enrolled(String login, String password) {
        SignIn s = fx.signIn(tenant, login, password);
        TotpSupport.Enrolled e = TotpSupport.enrol(fx, s.token());
        fx.clock.advance(Duration.ofSeconds(30));
        return e;
    }

    private String code(TotpSupport.Enrolled e) {
        return TotpSupport.code(e.secret(), fx.clock.instant());
    }

    @Test
    @DisplayName("IAM-11, AUD-1: the start of an MFA enrolment is recorded with the pending secret; unrecorded, no secret is pending")
    void enrolmentStartIsRecorded() {
        User u = taro();
        SignIn first = signIn("taro", EMPLOYEE_PASSWORD);
        fx.events.refuse = AuthEvents.MFA_ENROLMENT_STARTED;
        assertEquals(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED.code(), assertThrows(
                dev.mamori.platform.error.MamoriException.class, () -> user(() -> fx.auth.beginTotpEnrolment(first.token()))).code());
        assertEquals(null, AuthDb.query(fx.db.mainDs(), "SELECT mfa_pending FROM mamori_auth_user WHERE id = ?", u.id()).get(0)
                .get("mfa_pending"), "the pending secret went with its event");
        fx.events.refuse = null;
        user(() -> fx.auth.beginTotpEnrolment(first.token()));
        assertTrue(AuthDb.query(fx.db.mainDs(), "SELECT mfa_pending FROM mamori_auth_user WHERE id = ?", u.id()).get(0)
                .get("mfa_pending") != null);
        MamoriEvent e = fx.events.last(AuthEvents.MFA_ENROLMENT_STARTED);
        assertEquals(Map.of("factor", "totp"), e.details());
        assertEquals(u.id(), e.targetId().orElseThrow());
        assertEquals(tenant, e.tenantId().orElseThrow());
        assertEquals(u.id(), e.principalId().orElseThrow(), "the user enrols their own device");
        assertEquals(USER_IP, e.clientIp().orElseThrow());
        assertEquals(1, fx.events.of(AuthEvents.MFA_ENROLMENT_STARTED).size());
    }

    @Test
    @DisplayName("IAM-11: enrolment returns 10 recovery codes and a new session; sign-in then needs the code; step-up issues a new token")
    void totpEnrolmentAndSignIn() {
        User u = taro();
        SignIn first = signIn("taro", EMPLOYEE_PASSWORD);
        MfaEnrolment begun = user(() -> fx.auth.beginTotpEnrolment(first.token()));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(begun.qrPng(), 4));
        assertTrue(begun.uri().startsWith("otpauth://totp/Mamori:taro?"), begun.uri());
        byte[] secret = TotpSupport.base32(begun.secret());
        fails(AuthErrors.MFA_CODE_REJECTED, () -> user(() -> fx.auth.confirmTotpEnrolment(first.token(), "000000".equals(
                TotpSupport.code(secret, fx.clock.instant())) ? "111111" : "000000")));
        assertFalse(fx.asAdmin(tenant, () -> fx.users.find(u.id())).orElseThrow().mfaEnrolled(), "a wrong first code enrols nothing");

        var confirmation = user(() -> fx.auth.confirmTotpEnrolment(first.token(), TotpSupport.code(secret, fx.clock.instant())));
        assertEquals(10, confirmation.recoveryCodes().size());
        assertEquals(10, new HashSet<>(confirmation.recoveryCodes()).size());
        assertEquals(SessionState.AUTHENTICATED, confirmation.signIn().state());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(first.token()));
        assertEquals(u.id(), fx.auth.authenticate(confirmation.signIn().token()).userId());
        assertTrue(fx.asAdmin(tenant, () -> fx.users.find(u.id())).orElseThrow().mfaEnrolled());
        assertEquals(1, fx.events.of(AuthEvents.MFA_ENROLLED).size());
        // secrets and codes at rest: the secret encrypted, the recovery codes hashed
        Map<String, Object> row = AuthDb.query(fx.db.mainDs(), "SELECT mfa_secret, mfa_pending FROM mamori_auth_user WHERE id = ?", u.id()).get(0);
        assertFalse(String.valueOf(row.get("mfa_secret")).contains(begun.secret()));
        assertEquals(null, row.get("mfa_pending"));
        String stored = AuthDb.query(fx.db.mainDs(), "SELECT * FROM mamori_auth_user WHERE id = ?", u.id()).toString();
        for (String rc : confirmation.recoveryCodes()) {
            assertFalse(stored.contains(rc) || stored.contains(rc.replace("-", "")), "recovery codes are stored hashed only");
        }
        // enrolling again needs an admin's reset first
        fails(AuthErrors.USER_STATE, () -> user(() -> fx.auth.beginTotpEnrolment(confirmation.signIn().token())));

        fx.clock.advance(Duration.ofSeconds(30));
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.MFA_REQUIRED, pw.state());
        assertEquals(SessionState.MFA_REQUIRED, fx.auth.authenticate(pw.token()).state());
        fails(AuthErrors.MFA_REQUIRED, () -> user(() -> fx.auth.changePassword(pw.token(), EMPLOYEE_PASSWORD.toCharArray(),
                "Nw5tPass9x".toCharArray())));
        SignIn full = user(() -> fx.auth.verifyMfa(pw.token(), "totp", TotpSupport.code(secret, fx.clock.instant())));
        assertEquals(SessionState.AUTHENTICATED, full.state());
        assertNotEquals(pw.token(), full.token());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(pw.token()));
        assertEquals(SessionState.AUTHENTICATED, fx.auth.authenticate(full.token()).state());
        assertEquals("mfa", fx.events.last(AuthEvents.SIGN_IN_SUCCEEDED).details().get("step"));
        // a fully signed-in session has nothing to verify
        fails(AuthErrors.MFA_CODE_REJECTED, () -> user(() -> fx.auth.verifyMfa(full.token(), "totp", "123456")));
    }

    @Test
    @DisplayName("IAM-11: a code accepted once is refused the second time (replay); the next step's code works")
    void totpReplayRefused() {
        taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        String c = code(e);
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        user(() -> fx.auth.verifyMfa(pw.token(), "totp", c));
        SignIn again = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(again.token(), "totp", c)));
        assertEquals("wrong-code", lastFailureReason());
        fx.clock.advance(Duration.ofSeconds(30));
        assertEquals(SessionState.AUTHENTICATED, user(() -> fx.auth.verifyMfa(again.token(), "totp", code(e))).state());
    }

    @Test
    @DisplayName("IAM-11: the previous and next time step are accepted (window ±1), two steps off is not")
    void totpWindow() {
        taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        fx.clock.advance(Duration.ofMinutes(2));
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(pw.token(), "totp",
                TotpSupport.code(e.secret(), fx.clock.instant().minusSeconds(60)))));
        assertEquals(SessionState.AUTHENTICATED, user(() -> fx.auth.verifyMfa(pw.token(), "totp",
                TotpSupport.code(e.secret(), fx.clock.instant().minusSeconds(30)))).state());
    }

    @Test
    @DisplayName("IAM-9: wrong OTPs count - 5 lock the account, also against the right password afterwards")
    void wrongOtpCounts() {
        User u = taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        String wrong = code(e).equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 3; i++) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(pw.token(), "totp", wrong)));
        }
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(pw.token(), "webauthn", "x")));
        assertEquals(4, failedCount(u.id()));
        assertFalse(locked(u.id()));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(pw.token(), "totp", wrong)));
        assertTrue(locked(u.id()));
        refused("taro", EMPLOYEE_PASSWORD);
    }

    @Test
    @DisplayName("IAM-9: wrong OTPs below the limit, then the right one: signed in, counter reset")
    void rightOtpResets() {
        User u = taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        String wrong = code(e).equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 4; i++) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.verifyMfa(pw.token(), "totp", wrong)));
        }
        assertEquals(SessionState.AUTHENTICATED, user(() -> fx.auth.verifyMfa(pw.token(), "totp", code(e))).state());
        assertEquals(0, failedCount(u.id()));
    }

    private int waitingSessions(String userId) {
        return AuthDb.query(fx.db.mainDs(), "SELECT session_id FROM mamori_auth_session WHERE user_id = ? AND state = ?", userId,
                SessionState.MFA_REQUIRED.name()).size();
    }

    private SignIn oneStep(String password, String code) {
        return user(() -> fx.auth.signIn(new Credentials(tenant, "taro", password.toCharArray()), "totp", code));
    }

    @Test
    @DisplayName("IAM-9: password and a wrong code in one step count exactly one failure each, and leave no half session "
            + "to be counted again: four leave the account open, the fifth locks, then even the right code is refused")
    void oneStepWrongCodeCountsOnce() {
        User u = taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        String wrong = code(e).equals("000000") ? "000001" : "000000";
        for (int i = 1; i <= 5; i++) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> oneStep(EMPLOYEE_PASSWORD, wrong));
            assertEquals("wrong-code", lastFailureReason());
            assertEquals(i, failedCount(u.id()), "failures after " + i + " wrong code(s)");
            assertEquals(0, waitingSessions(u.id()), "the half session ends with the wrong code");
            assertEquals(i == 5, locked(u.id()));
        }
        fails(AuthErrors.INVALID_CREDENTIALS, () -> oneStep(EMPLOYEE_PASSWORD, code(e)));
        assertEquals("locked", lastFailureReason());
    }

    @Test
    @DisplayName("IAM-9, IAM-11: password and the right code in one step: AUTHENTICATED, failures reset; without a code it is "
            + "the password step; a wrong password is refused before any code is looked at")
    void oneStepSignIn() {
        User u = taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        String wrong = code(e).equals("000000") ? "000001" : "000000";
        fails(AuthErrors.INVALID_CREDENTIALS, () -> oneStep(EMPLOYEE_PASSWORD, wrong));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> oneStep(WRONG, code(e)));
        assertEquals("wrong-password", lastFailureReason());
        assertEquals(2, failedCount(u.id()));
        SignIn full = oneStep(EMPLOYEE_PASSWORD, code(e));
        assertEquals(SessionState.AUTHENTICATED, full.state());
        assertEquals(u.id(), fx.auth.authenticate(full.token()).userId());
        assertEquals(0, failedCount(u.id()));
        assertEquals(0, waitingSessions(u.id()));
        assertEquals(SessionState.MFA_REQUIRED, oneStep(EMPLOYEE_PASSWORD, " ").state(), "a blank code: the password step only");
        // an account without a second factor: the code is not looked at
        fx.employee(tenant, "jiro");
        SignIn jiro = user(() -> fx.auth.signIn(new Credentials(tenant, "jiro", EMPLOYEE_PASSWORD.toCharArray()), "totp", "123456"));
        assertEquals(SessionState.AUTHENTICATED, jiro.state());
    }

    @Test
    @DisplayName("IAM-9: a missing OTP counts - password steps that never verify lock the account on the 6th sign-in")
    void missingOtpCounts() {
        User u = taro();
        enrolled("taro", EMPLOYEE_PASSWORD);
        for (int i = 1; i <= 5; i++) {
            assertEquals(SessionState.MFA_REQUIRED, signIn("taro", EMPLOYEE_PASSWORD).state(), "sign-in " + i);
        }
        assertEquals(4, failedCount(u.id()));
        refused("taro", EMPLOYEE_PASSWORD);
        assertTrue(locked(u.id()));
    }

    @Test
    @DisplayName("IAM-14: a recovery code signs in once; typed in lower case without dashes it still works; junk is refused")
    void recoveryCodes() {
        User u = taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        List<String> codes = e.confirmation().recoveryCodes();
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        SignIn ok = user(() -> fx.auth.recover(pw.token(), codes.get(0)));
        assertEquals(SessionState.AUTHENTICATED, ok.state());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(pw.token()));
        assertEquals("recovery", fx.events.last(AuthEvents.SIGN_IN_SUCCEEDED).details().get("step"));

        SignIn pw2 = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.recover(pw2.token(), codes.get(0))));
        assertEquals(SessionState.AUTHENTICATED,
                user(() -> fx.auth.recover(pw2.token(), codes.get(1).toLowerCase().replace("-", ""))).state());
        SignIn pw3 = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.recover(pw3.token(), codes.get(1))));
        assertEquals(SessionState.AUTHENTICATED, user(() -> fx.auth.recover(pw3.token(), codes.get(9))).state());
    }

    @Test
    @DisplayName("IAM-14: one recovery code presented by two requests at once signs in once (any node, OPS-4)")
    void recoveryCodeRace() throws Exception {
        setUp(Map.of("lockout_failures", 100));
        taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        List<String> codes = e.confirmation().recoveryCodes();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String code = codes.get(round);
                // the same waiting session sent twice at once (a double-clicked form, or an attacker racing the owner)
                SignIn a = signIn("taro", EMPLOYEE_PASSWORD);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
                for (String token : new String[] {a.token(), a.token()}) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return user(() -> fx.auth.recover(token, code)).state() == SessionState.AUTHENTICATED;
                        } catch (AuthException refused) {
                            return false;
                        }
                    }));
                }
                int ok = 0;
                for (java.util.concurrent.Future<Boolean> r : results) {
                    ok += r.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, ok, "round " + round + ": a recovery code is single-use");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("IAM-14, IAM-9: a malformed recovery code is an ordinary failure (counted), not an error")
    void malformedRecoveryCode() {
        User u = taro();
        enrolled("taro", EMPLOYEE_PASSWORD);
        SignIn pw = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.recover(pw.token(), "not-a-code")));
        assertEquals(1, failedCount(u.id()));
    }

    @Test
    @DisplayName("IAM-10, IAM-11: a tenant admin without MFA can only enrol; afterwards sign-in needs the code")
    void adminMustEnrol() {
        fx.create(tenant, "boss", "A-1", Set.of(Roles.TENANT_ADMIN), Profile.EMPTY, ADMIN_PASSWORD);
        SignIn s = signIn("boss", ADMIN_PASSWORD);
        assertEquals(SessionState.MFA_ENROLMENT_REQUIRED, s.state());
        assertEquals(SessionState.MFA_ENROLMENT_REQUIRED, fx.auth.authenticate(s.token()).state());
        fails(AuthErrors.MFA_REQUIRED, () -> user(() -> fx.auth.changePassword(s.token(), ADMIN_PASSWORD.toCharArray(),
                "Nw5tPass9xYz".toCharArray())));
        TotpSupport.Enrolled e = TotpSupport.enrol(fx, s.token());
        assertEquals(SessionState.AUTHENTICATED, e.confirmation().signIn().state());
        fx.clock.advance(Duration.ofSeconds(30));
        assertEquals(SessionState.MFA_REQUIRED, signIn("boss", ADMIN_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-11: MFA is optional for reviewers unless the tenant requires it")
    void reviewerMfaByTenant() {
        fx.withSettings();
        fx.create(tenant, "rev", "R-1", Set.of(Roles.REVIEWER), Profile.EMPTY, EMPLOYEE_PASSWORD);
        fx.employee(tenant, "emp");
        assertEquals(SessionState.AUTHENTICATED, signIn("rev", EMPLOYEE_PASSWORD).state());
        fx.settings.put(tenant, Map.of(AuthenticationServiceImpl.REVIEWER_MFA_SETTING, "required"));
        assertEquals(SessionState.MFA_ENROLMENT_REQUIRED, signIn("rev", EMPLOYEE_PASSWORD).state());
        assertEquals(SessionState.AUTHENTICATED, signIn("emp", EMPLOYEE_PASSWORD).state(), "employees stay optional");
    }

    // ---------------------------------------------------------------- throttling (SEC-12)

    @Test
    @DisplayName("SEC-12: failures from one address across accounts (password spraying) get 429 with Retry-After")
    void perAddressThrottle() {
        setUp(Map.of("throttle_failures", 5, "throttle_period_seconds", 300));
        taro();
        String sprayer = "203.0.113.66";
        for (String login : new String[] {"a1", "b2", "c3", "taro", "d4"}) {
            fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signInFrom(sprayer, tenant, login, "Spring2026x"));
        }
        AuthException tooMany = fails(AuthErrors.TOO_MANY_ATTEMPTS, () -> fx.signInFrom(sprayer, tenant, "e5", "Spring2026x"));
        Duration retry = tooMany.retryAfter().orElseThrow();
        assertTrue(!retry.isNegative() && !retry.isZero() && retry.compareTo(Duration.ofSeconds(301)) <= 0, retry.toString());
        // even the right password of an account is refused from there, and it does not count against the account
        fails(AuthErrors.TOO_MANY_ATTEMPTS, () -> fx.signInFrom(sprayer, tenant, "taro", EMPLOYEE_PASSWORD));
        assertFalse(fx.events.of(AuthEvents.THROTTLED).isEmpty());
        // other addresses are not affected
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("203.0.113.67", tenant, "taro", EMPLOYEE_PASSWORD).state());
        // the bucket refills over the period
        fx.clock.advance(retry);
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom(sprayer, tenant, "taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("SEC-12: IPv6 clients of one /64 share one sign-in failure budget; another /64 has its own")
    void perAddressThrottleIpv6Per64() {
        setUp(Map.of("throttle_failures", 4, "throttle_period_seconds", 300));
        taro();
        // four addresses of one /64, one failure each (unknown accounts: nothing counts but the address)
        String[] oneNet = {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2:abcd::9"};
        for (int i = 0; i < oneNet.length; i++) {
            String ip = oneNet[i];
            String login = "nobody" + i;
            fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signInFrom(ip, tenant, login, "Spring2026x"));
        }
        // the budget of the /64 is spent: a fifth address in it is refused, even with the right password
        fails(AuthErrors.TOO_MANY_ATTEMPTS, () -> fx.signInFrom("2001:db8:1:2:1234:5678:9abc:def0", tenant, "taro", EMPLOYEE_PASSWORD));
        // the neighbouring /64 is another subscriber
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("2001:db8:1:3::1", tenant, "taro", EMPLOYEE_PASSWORD).state());
    }

    // ---------------------------------------------------------------- sessions (IAM-13, SEC-4)

    @Test
    @DisplayName("SEC-4: a session ends after 30 idle minutes; use keeps it alive")
    void idleTimeout() {
        taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        fx.clock.advance(Duration.ofMinutes(29));
        fx.auth.authenticate(s.token());
        fx.clock.advance(Duration.ofMinutes(29));
        fx.auth.authenticate(s.token());
        fx.clock.advance(Duration.ofMinutes(30));
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        assertEquals(0, AuthDb.query(fx.db.mainDs(), "SELECT token_hash FROM mamori_auth_session WHERE token_hash = ?",
                Secrets.hash(s.token())).size(), "an expired session is deleted");
    }

    @Test
    @DisplayName("SEC-4: a session ends 12 hours after sign-in however busy it is")
    void absoluteLifetime() {
        taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        for (int i = 0; i < 24; i++) {
            fx.clock.advance(Duration.ofMinutes(29));
            assertEquals(SessionState.AUTHENTICATED, fx.auth.authenticate(s.token()).state(), "after " + (i + 1) * 29 + " min");
        }
        fx.clock.advance(Duration.ofMinutes(24));
        assertEquals(AuthFixture.T0.plus(Duration.ofHours(12)), fx.clock.instant());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
    }

    @Test
    @DisplayName("SEC-4: sign-out revokes the session; unknown tokens are ignored")
    void signOut() {
        taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        SignIn other = signIn("taro", EMPLOYEE_PASSWORD);
        user(() -> {
            fx.auth.signOut(s.token());
            fx.auth.signOut(Secrets.newToken());
            fx.auth.signOut(null);
            fx.auth.signOut("junk");
            return null;
        });
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        assertEquals(SessionState.AUTHENTICATED, fx.auth.authenticate(other.token()).state(), "only that session");
        assertEquals(1, fx.events.of(AuthEvents.SIGNED_OUT).size());
        for (String bad : new String[] {null, "", "junk", Secrets.newToken()}) {
            fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(bad));
        }
    }

    // ---------------------------------------------------------------- passwords (IAM-7, IAM-8, IAM-14)

    @Test
    @DisplayName("IAM-8: changing the password needs the current one and revokes every session of the account")
    void changePassword() {
        User u = taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        SignIn elsewhere = signIn("taro", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> user(() -> fx.auth.changePassword(s.token(), WRONG.toCharArray(),
                "Nw5tPass9x".toCharArray())));
        assertEquals(1, failedCount(u.id()), "a wrong current password counts");
        PasswordRejectedException weak = assertThrows(PasswordRejectedException.class, () -> user(() -> fx.auth.changePassword(
                s.token(), EMPLOYEE_PASSWORD.toCharArray(), "short".toCharArray())));
        assertFalse(weak.violations().isEmpty());
        assertEquals(SessionState.AUTHENTICATED, fx.auth.authenticate(s.token()).state(), "a rejected change changes nothing");

        SignIn next = user(() -> fx.auth.changePassword(s.token(), EMPLOYEE_PASSWORD.toCharArray(), "Nw5tPass9x".toCharArray()));
        assertEquals(SessionState.AUTHENTICATED, next.state());
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(s.token()));
        fails(AuthErrors.SESSION_INVALID, () -> fx.auth.authenticate(elsewhere.token()));
        assertEquals(u.id(), fx.auth.authenticate(next.token()).userId());
        refused("taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", "Nw5tPass9x").state());
        assertEquals(1, fx.events.of(AuthEvents.PASSWORD_CHANGED).size());
    }

    @Test
    @DisplayName("IAM-7: a hash made at a lower cost is rewritten at the next sign-in when the cost was raised")
    void rehashOnRaisedCost() {
        User u = taro();
        assertTrue(hash(u).startsWith("$2b$10$"), hash(u));
        AuthFixture stronger = new AuthFixture(fx.db, Map.of("bcrypt_cost", 11));
        stronger.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertTrue(hash(u).startsWith("$2b$11$"), hash(u));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", EMPLOYEE_PASSWORD).state());
    }

    private String hash(User u) {
        return (String) AuthDb.query(fx.db.mainDs(), "SELECT password_hash FROM mamori_auth_user WHERE id = ?", u.id()).get(0)
                .get("password_hash");
    }

    private void reset(String tenantRef, String token, String next) {
        user(() -> {
            fx.auth.resetPassword(tenantRef, token, next.toCharArray());
            return null;
        });
    }

    @Test
    @DisplayName("IAM-14: a reset token works once, in its own tenant only, and clears a lockout")
    void resetTokenSingleUse() {
        User u = taro();
        for (int i = 0; i < 5; i++) {
            refused("taro", WRONG);
        }
        String replaced = fx.asAdmin(tenant, () -> fx.users.forcePasswordReset(u.id()));
        String token = fx.asAdmin(tenant, () -> fx.users.forcePasswordReset(u.id()));
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset(tenant, replaced, "Nw5tPass9x"));
        String other = fx.newTenant();
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset(other, token, "Nw5tPass9x"));
        reset(slug, token, "Nw5tPass9x");
        assertFalse(locked(u.id()));
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", "Nw5tPass9x").state());
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset(tenant, token, "Nw6tPass9y"));
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset(tenant, "junk", "Nw6tPass9y"));
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset("no-such-tenant", Secrets.newToken(), "Nw6tPass9y"));
        assertEquals(1, fx.events.of(AuthEvents.PASSWORD_RESET).size());
    }

    @Test
    @DisplayName("IAM-8, IAM-14: the tenant slug is case-insensitive at sign-in and at password reset, like the login name")
    void tenantSlugIgnoresCase() {
        User u = taro();
        String upper = slug.toUpperCase(java.util.Locale.ROOT);
        assertEquals(SessionState.AUTHENTICATED, signInTo(upper, "TARO", EMPLOYEE_PASSWORD).state());
        assertEquals(SessionState.AUTHENTICATED, signInTo(" T" + slug.substring(1) + " ", "taro", EMPLOYEE_PASSWORD).state());
        String token = fx.asAdmin(tenant, () -> fx.users.forcePasswordReset(u.id()));
        reset(upper, token, "Nw5tPass9x");
        assertEquals(SessionState.AUTHENTICATED, signInTo(upper, "taro", "Nw5tPass9x").state());
        // only A-Z fold: the Kelvin sign (which Unicode lower-cases to k) reaches no tenant "k-..."
        String kSlug = "k-" + slug.substring(2);
        String k = fx.db.newTenant(kSlug, "ACTIVE");
        fx.create(k, "taro", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        assertEquals(SessionState.AUTHENTICATED, signInTo("K-" + slug.substring(2), "taro", EMPLOYEE_PASSWORD).state());
        fails(AuthErrors.INVALID_CREDENTIALS, () -> signInTo("\u212A-" + slug.substring(2), "taro", EMPLOYEE_PASSWORD));
    }

    private SignIn signInTo(String tenantRef, String login, String password) {
        return fx.signIn(tenantRef, login, password);
    }

    @Test
    @DisplayName("IAM-14: a reset token expires after reset_token_minutes")
    void resetTokenExpires() {
        User u = taro();
        String token = fx.asAdmin(tenant, () -> fx.users.forcePasswordReset(u.id()));
        fx.clock.advance(Duration.ofMinutes(30));
        fails(AuthErrors.RESET_TOKEN_INVALID, () -> reset(tenant, token, "Nw5tPass9x"));
        refused("taro", "Nw5tPass9x");
    }

    @Test
    @DisplayName("IAM-14: a new password that breaks the rules does not use up the reset token")
    void rejectedPasswordKeepsResetToken() {
        User u = taro();
        String token = fx.asAdmin(tenant, () -> fx.users.forcePasswordReset(u.id()));
        assertThrows(PasswordRejectedException.class, () -> reset(tenant, token, "weak"));
        reset(tenant, token, "Nw5tPass9x");
        assertEquals(SessionState.AUTHENTICATED, signIn("taro", "Nw5tPass9x").state());
    }

    // ---------------------------------------------------------------- IP allow-list at sign-in (IAM-12)

    @Test
    @DisplayName("IAM-12: IPv4 - sign-in from outside the tenant's list fails like a wrong password and does not count")
    void allowListIpv4() {
        User u = taro();
        fx.asAdmin(tenant, () -> fx.allowLists.replace(List.of("203.0.113.0/24", AuthFixture.ADMIN_IP)));
        for (int i = 0; i < 6; i++) {
            AuthException e = fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signInFrom("198.51.100.1", tenant, "taro", EMPLOYEE_PASSWORD));
            assertEquals("Sign-in failed.", e.getMessage());
        }
        assertEquals("ip-refused", lastFailureReason());
        assertEquals(Optional.of("198.51.100.1"), fx.events.last(AuthEvents.IP_REFUSED).clientIp());
        assertEquals(0, failedCount(u.id()));
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("203.0.113.200", tenant, "taro", EMPLOYEE_PASSWORD).state());
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("::ffff:203.0.113.9", tenant, "taro", EMPLOYEE_PASSWORD).state());
        fails(AuthErrors.INVALID_CREDENTIALS, () -> from(null, () -> fx.auth.signIn(new Credentials(tenant, "taro",
                EMPLOYEE_PASSWORD.toCharArray()))));
        // another tenant's users are not restricted by it
        String other = fx.newTenant();
        fx.employee(other, "taro");
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("198.51.100.1", other, "taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-12: IPv6 ranges at sign-in")
    void allowListIpv6() {
        taro();
        fx.asAdmin(tenant, () -> fx.allowLists.replace(List.of("2001:db8:1::/48", AuthFixture.ADMIN_IP)));
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("2001:db8:1:2::5", tenant, "taro", EMPLOYEE_PASSWORD).state());
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signInFrom("2001:db8:2::5", tenant, "taro", EMPLOYEE_PASSWORD));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> fx.signInFrom("203.0.113.9", tenant, "taro", EMPLOYEE_PASSWORD));
        // an empty list lifts the restriction
        fx.asAdmin(tenant, () -> fx.allowLists.replace(List.of()));
        assertEquals(SessionState.AUTHENTICATED, fx.signInFrom("2001:db8:2::5", tenant, "taro", EMPLOYEE_PASSWORD).state());
    }

    @Test
    @DisplayName("IAM-12: the second factor is refused from outside the list too")
    void allowListAtSecondStep() {
        taro();
        TotpSupport.Enrolled e = enrolled("taro", EMPLOYEE_PASSWORD);
        SignIn pw = fx.signInFrom("203.0.113.5", tenant, "taro", EMPLOYEE_PASSWORD);
        fx.asAdmin(tenant, () -> fx.allowLists.replace(List.of("203.0.113.0/24", AuthFixture.ADMIN_IP)));
        fails(AuthErrors.INVALID_CREDENTIALS, () -> from("198.51.100.1", () -> fx.auth.verifyMfa(pw.token(), "totp", code(e))));
    }

    @Test
    @DisplayName("SEC-10: control characters in tenant or login are an ordinary failure, not a database error")
    void controlCharacters() {
        refused("taro\u0000", EMPLOYEE_PASSWORD);
        fails(AuthErrors.INVALID_CREDENTIALS, () -> AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.signIn(new dev.mamori.auth.Credentials(tenant + "\u0000", "taro", EMPLOYEE_PASSWORD.toCharArray()))));
    }

    @Test
    @DisplayName("IAM-11: a fully signed-in session enrols a second factor only soon after sign-in (a stolen old session cannot)")
    void enrolmentNeedsAFreshSignIn() {
        taro();
        SignIn s = signIn("taro", EMPLOYEE_PASSWORD);
        fx.clock.advance(AuthenticationServiceImpl.ENROL_WITHIN.plusMinutes(1));
        fx.clock.advance(java.time.Duration.ZERO);
        // keep the session alive (idle timeout) but old
        fails(AuthErrors.MFA_CODE_REJECTED, () -> AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.beginTotpEnrolment(s.token())));
        SignIn fresh = signIn("taro", EMPLOYEE_PASSWORD);
        assertTrue(AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.beginTotpEnrolment(fresh.token())).uri().startsWith("otpauth://"));
    }
}
