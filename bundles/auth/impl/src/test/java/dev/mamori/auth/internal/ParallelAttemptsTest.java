package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static dev.mamori.auth.internal.AuthFixture.USER_IP;
import static dev.mamori.auth.internal.AuthFixture.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.platform.event.MamoriEvent;

/**
 * SEC-12, IAM-9, IAM-13: the limits hold against requests that arrive all at once. Every check of
 * a secret reserves first (one of the address's failures, and on the account's counter where
 * there is one), so a burst checks no more secrets than the limits allow, on any path that checks
 * one: password, second factor, recovery code, enrolment code, reset token, current password.
 */
class ParallelAttemptsTest {
    private static final String SPRAYER = "203.0.113.66";
    private static final String WRONG = "Wrong-pass1";
    private static final String NEXT = "Nw5tPass9x";

    private AuthFixture fx;
    private String tenant;
    private String slug;

    private void setUp(Map<String, ?> config) {
        fx = new AuthFixture(AuthDb.h2(), config);
        slug = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        tenant = fx.db.newTenant(slug, "ACTIVE");
    }

    /** Starts the calls together (threads and a barrier). @return each one's outcome: "ok" or its error code, in order */
    private static List<String> race(List<Callable<?>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CyclicBarrier start = new CyclicBarrier(calls.size());
        try {
            List<Future<String>> running = new ArrayList<>();
            for (Callable<?> call : calls) {
                running.add(pool.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    try {
                        call.call();
                        return "ok";
                    } catch (AuthException e) {
                        return e.code();
                    }
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : running) {
                outcomes.add(f.get(180, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Callable<?>> times(int n, Callable<?> call) {
        return Collections.nCopies(n, call);
    }

    private static long count(List<String> outcomes, String code) {
        return outcomes.stream().filter(code::equals).count();
    }

    private long failures(String step, String reason) {
        return fx.events.of(AuthEvents.SIGN_IN_FAILED).stream()
                .filter(e -> step.equals(e.details().get("step")) && reason.equals(e.details().get("reason"))).count();
    }

    /** The address's budget: exactly {@code budget} answers of {@code refusal}, the rest 429, nothing else. */
    private static void budgetHeld(List<String> outcomes, int budget, dev.mamori.platform.error.ErrorCode refusal) {
        assertEquals(budget, count(outcomes, refusal.code()), outcomes.toString());
        assertEquals(outcomes.size() - budget, count(outcomes, AuthErrors.TOO_MANY_ATTEMPTS.code()), outcomes.toString());
    }

    private int failedCount(String userId) {
        return ((Number) AuthDb.query(fx.db.mainDs(), "SELECT failed_count FROM mamori_auth_user WHERE id = ?", userId).get(0)
                .get("failed_count")).intValue();
    }

    private String hash(String userId) {
        return (String) AuthDb.query(fx.db.mainDs(), "SELECT password_hash FROM mamori_auth_user WHERE id = ?", userId).get(0)
                .get("password_hash");
    }

    private boolean locked(String userId) {
        return fx.asAdmin(tenant, () -> fx.users.find(userId)).orElseThrow().locked();
    }

    private boolean works(String token) {
        try {
            fx.auth.authenticate(token);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- the address's budget (SEC-12)

    @Test
    @DisplayName("SEC-12: 80 sign-ins at once from one address to 80 login names check exactly the address's 20 passwords; 60 get 429")
    void passwordStepInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 20, "lockout_failures", 100));
        for (int i = 0; i < 8; i++) {
            fx.employee(tenant, "user-" + i);
        }
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String login = "user-" + i;
            calls.add(() -> fx.signInFrom(SPRAYER, tenant, login, "Spring2026x"));
        }
        fx.verifications.set(0);
        List<String> outcomes = race(calls);
        budgetHeld(outcomes, 20, AuthErrors.INVALID_CREDENTIALS);
        assertEquals(20, fx.verifications.get(), "bcrypt checks");
        assertEquals(60, fx.events.of(AuthEvents.THROTTLED).size());
    }

    @Test
    @DisplayName("SEC-12, IAM-11: 20 wrong codes and recovery codes at once for one waiting session check 5 (the address's budget); 15 get 429")
    void secondStepInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 5, "lockout_failures", 100));
        fx.employee(tenant, "taro");
        TotpSupport.Enrolled e = TotpSupport.enrol(fx, fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD).token());
        fx.clock.advance(Duration.ofSeconds(30));
        SignIn waiting = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(SessionState.MFA_REQUIRED, waiting.state());
        String wrong = wrongCode(e.secret());
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(i % 2 == 0 ? () -> from(SPRAYER, () -> fx.auth.verifyMfa(waiting.token(), "totp", wrong))
                    : () -> from(SPRAYER, () -> fx.auth.recover(waiting.token(), "AAAA-BBBB-CCCC")));
        }
        List<String> outcomes = race(calls);
        budgetHeld(outcomes, 5, AuthErrors.INVALID_CREDENTIALS);
        assertEquals(5, failures("mfa", "wrong-code") + failures("recovery", "wrong-code"), "codes checked");
    }

    @Test
    @DisplayName("SEC-12, IAM-11: 20 wrong enrolment codes at once check 5 (the address's budget); 15 get 429")
    void enrolmentInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 5));
        fx.employee(tenant, "taro");
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        MfaEnrolment begun = from(USER_IP, () -> fx.auth.beginTotpEnrolment(s.token()));
        String wrong = wrongCode(TotpSupport.base32(begun.secret()));
        List<String> outcomes = race(times(20, () -> from(SPRAYER, () -> fx.auth.confirmTotpEnrolment(s.token(), wrong))));
        budgetHeld(outcomes, 5, AuthErrors.MFA_CODE_REJECTED);
        assertEquals(5, failures("enrol", "wrong-code"), "codes checked");
    }

    @Test
    @DisplayName("SEC-12, IAM-14: 20 guessed reset tokens at once check 5 (the address's budget); 15 get 429")
    void resetTokenInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 5));
        fx.employee(tenant, "taro");
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String guess = Secrets.newToken();
            calls.add(() -> from(SPRAYER, () -> {
                fx.auth.resetPassword(slug, guess, NEXT.toCharArray());
                return null;
            }));
        }
        List<String> outcomes = race(calls);
        budgetHeld(outcomes, 5, AuthErrors.RESET_TOKEN_INVALID);
        assertEquals(5, failures("reset", "invalid-token"), "tokens checked");
    }

    @Test
    @DisplayName("SEC-12, IAM-8: 20 wrong current passwords at once check 5 (the address's budget); 15 get 429")
    void passwordChangeInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 5, "lockout_failures", 100));
        fx.employee(tenant, "taro");
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        fx.verifications.set(0);
        List<String> outcomes = race(times(20, () -> from(SPRAYER, () -> fx.auth.changePassword(s.token(), WRONG.toCharArray(),
                NEXT.toCharArray()))));
        budgetHeld(outcomes, 5, AuthErrors.INVALID_CREDENTIALS);
        assertEquals(5, fx.verifications.get(), "bcrypt checks");
    }

    @Test
    @DisplayName("SEC-12: what checked no secret or succeeded gives the address's failure back (10 sign-ins and a bad session on a budget of 3)")
    void successesGiveTheBudgetBack() {
        setUp(Map.of("throttle_failures", 3));
        fx.employee(tenant, "taro");
        for (int i = 0; i < 10; i++) {
            assertEquals(SessionState.AUTHENTICATED, fx.signInFrom(SPRAYER, tenant, "taro", EMPLOYEE_PASSWORD).state(), "sign-in " + i);
            assertEquals(AuthErrors.SESSION_INVALID, assertThrows(AuthException.class, () -> from(SPRAYER,
                    () -> fx.auth.changePassword(Secrets.newToken(), EMPLOYEE_PASSWORD.toCharArray(), NEXT.toCharArray()))).errorCode());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(AuthErrors.INVALID_CREDENTIALS, assertThrows(AuthException.class,
                    () -> fx.signInFrom(SPRAYER, tenant, "taro", WRONG)).errorCode());
        }
        assertEquals(AuthErrors.TOO_MANY_ATTEMPTS, assertThrows(AuthException.class,
                () -> fx.signInFrom(SPRAYER, tenant, "taro", EMPLOYEE_PASSWORD)).errorCode());
    }

    /** @return a 6-digit code that is none of the three the TOTP window accepts now */
    private String wrongCode(byte[] secret) {
        Set<String> accepted = Set.of(TotpSupport.code(secret, fx.clock.instant().minusSeconds(30)),
                TotpSupport.code(secret, fx.clock.instant()), TotpSupport.code(secret, fx.clock.instant().plusSeconds(30)));
        for (int i = 0;; i++) {
            String c = String.format("%06d", i);
            if (!accepted.contains(c)) {
                return c;
            }
        }
    }

    // ---------------------------------------------------------------- the current password (IAM-9, IAM-13)

    @Test
    @DisplayName("IAM-9, IAM-13: 39 wrong current passwords and the right one at once: at most 5 checked; "
            + "a locked account keeps its password and has no working session")
    void passwordChangeGuessesInParallel() throws Exception {
        setUp(Map.of("throttle_failures", 1000));
        User u = fx.employee(tenant, "taro");
        SignIn stolen = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        String before = hash(u.id());
        List<SignIn> returned = new CopyOnWriteArrayList<>();
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String guess = i == 17 ? EMPLOYEE_PASSWORD : "Guess-" + i + "x";
            calls.add(() -> returned.add(from(SPRAYER, () -> fx.auth.changePassword(stolen.token(), guess.toCharArray(),
                    NEXT.toCharArray()))));
        }
        fx.verifications.set(0);
        List<String> outcomes = race(calls);
        assertTrue(fx.verifications.get() <= 5, fx.verifications.get() + " current passwords checked");
        assertFalse(works(stolen.token()), "the guessing session has ended (by the change or by the lock)");
        if (locked(u.id())) {
            assertEquals(before, hash(u.id()), "a locked account's password is not changed");
            assertTrue(returned.stream().noneMatch(s -> works(s.token())), "a locked account has no working session");
            assertEquals(0, count(outcomes, "ok"), outcomes.toString());
        } else {
            // the right one came among the five: the change is done, the count of failures stays below the limit
            assertEquals(1, returned.size(), outcomes.toString());
            assertTrue(works(returned.get(0).token()));
            assertTrue(failedCount(u.id()) <= 4);
            assertEquals(SessionState.AUTHENTICATED, fx.signIn(tenant, "taro", NEXT).state());
        }
    }

    @Test
    @DisplayName("IAM-9: a locked account's password is not changed, not even with the right current password "
            + "(a lock set by another node while this session's request was under way)")
    void lockedAccountKeepsItsPassword() {
        setUp(Map.of());
        User u = fx.employee(tenant, "taro");
        SignIn s = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        String before = hash(u.id());
        AuthDb.update(fx.db.mainDs(), "UPDATE mamori_auth_user SET failed_count = 5, locked_at = ? WHERE id = ?",
                fx.clock.millis(), u.id());
        fx.verifications.set(0);
        AuthException e = assertThrows(AuthException.class, () -> from(USER_IP, () -> fx.auth.changePassword(s.token(),
                EMPLOYEE_PASSWORD.toCharArray(), NEXT.toCharArray())));
        assertEquals(AuthErrors.INVALID_CREDENTIALS, e.errorCode());
        assertEquals("locked", fx.events.last(AuthEvents.SIGN_IN_FAILED).details().get("reason"));
        assertEquals(0, fx.verifications.get(), "nothing is checked on a locked account");
        assertEquals(before, hash(u.id()));
        assertEquals(0, fx.events.of(AuthEvents.PASSWORD_CHANGED).size());
    }

    @Test
    @DisplayName("IAM-9, IAM-13: wrong current passwords count with sign-in failures on the one counter; the 5th locks and ends "
            + "the session that guessed")
    void passwordChangeFailuresLockAndEndTheSession() {
        setUp(Map.of());
        User u = fx.employee(tenant, "taro");
        SignIn stolen = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        for (int i = 1; i <= 2; i++) {
            assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", WRONG));
        }
        for (int i = 3; i <= 4; i++) {
            assertEquals(AuthErrors.INVALID_CREDENTIALS, assertThrows(AuthException.class, () -> from(USER_IP,
                    () -> fx.auth.changePassword(stolen.token(), WRONG.toCharArray(), NEXT.toCharArray()))).errorCode());
            assertFalse(locked(u.id()), "not after " + i);
            assertTrue(works(stolen.token()), "the session works after " + i);
        }
        assertEquals(4, failedCount(u.id()));
        assertThrows(AuthException.class, () -> from(USER_IP, () -> fx.auth.changePassword(stolen.token(), WRONG.toCharArray(),
                NEXT.toCharArray())));
        assertTrue(locked(u.id()));
        assertFalse(works(stolen.token()), "the lock ended the guessing session");
        assertEquals(AuthErrors.SESSION_INVALID, assertThrows(AuthException.class, () -> from(USER_IP,
                () -> fx.auth.changePassword(stolen.token(), EMPLOYEE_PASSWORD.toCharArray(), NEXT.toCharArray()))).errorCode());
        List<MamoriEvent> locks = fx.events.of(AuthEvents.LOCKED);
        assertEquals(1, locks.size());
        assertEquals("password-change", fx.events.last(AuthEvents.SIGN_IN_FAILED).details().get("step"));
        assertEquals(List.of("wrong-password"), fx.events.of(AuthEvents.SIGN_IN_FAILED).stream()
                .filter(e -> "password-change".equals(e.details().get("step"))).map(e -> e.details().get("reason")).distinct()
                .collect(Collectors.toList()));
    }
}
