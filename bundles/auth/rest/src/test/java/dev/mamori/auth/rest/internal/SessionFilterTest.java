package dev.mamori.auth.rest.internal;

import static dev.mamori.auth.rest.internal.Fakes.endpoint;
import static dev.mamori.auth.rest.internal.Fakes.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.rest.internal.Fakes.Request;
import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.Anonymous;
import dev.mamori.platform.event.MamoriEvent;

@DisplayName("SessionFilter: the session of a bearer token or cookie (SEC-4), CSRF for cookie changes (SEC-6)")
class SessionFilterTest {
    private static final String ALICE = "token-alice";
    private static final String BOB = "token-bob";
    private static final String PENDING = "token-pending-mfa";
    private static final String ENROLLING = "token-enrolling";
    private static final String STALE = "token-expired-long-ago";

    private final Fakes.Authentication auth = new Fakes.Authentication();
    private final Fakes.Guard guard = new Fakes.Guard();
    private final Fakes.Events events = new Fakes.Events();
    private final SessionFilter filter = new SessionFilter(auth, guard, events);
    private final Session alice = Fakes.session("t1", "alice", SessionState.AUTHENTICATED, "csrf-alice-0123456789");

    private final Method update = endpoint(UserResource.class, "update");
    private final Method login = endpoint(AuthResource.class, "signIn");
    private final Method reset = endpoint(AuthResource.class, "resetPassword");

    @BeforeEach
    void sessions() {
        auth.sessions.put(ALICE, alice);
        auth.sessions.put(BOB, Fakes.session("t1", "bob", SessionState.AUTHENTICATED, "csrf-bob-9876543210"));
        auth.sessions.put(PENDING, Fakes.session("t1", "carol", SessionState.MFA_REQUIRED, "csrf-carol"));
        auth.sessions.put(ENROLLING, Fakes.session("t1", "dave", SessionState.MFA_ENROLMENT_REQUIRED, "csrf-dave"));
    }

    private ExecutionContext run(Request r) {
        return within(() -> filter.filter(r.context()));
    }

    private void assertRefused(Request r, String code) {
        AuthException e = assertThrows(AuthException.class, () -> run(r));
        assertEquals(code, e.code());
    }

    private void assertSignedInAsAlice(Request r) {
        ExecutionContext after = run(r);
        assertEquals(alice.principal(), after.principal().orElseThrow());
        assertEquals(Assurance.COMPLETE, after.principal().orElseThrow().assurance());
        assertTrue(r.properties.keySet().stream().noneMatch(k -> k.startsWith("mamori.auth")), "nothing in a private property");
    }

    @Test
    @DisplayName("IAM-10, IAM-11: the session's state becomes the principal's assurance in the execution context")
    void assuranceFromTheSessionState() {
        assertEquals(Assurance.PASSWORD_ONLY, run(new Request("GET", endpoint(MeResource.class, "me")).bearer(PENDING))
                .principal().orElseThrow().assurance());
        assertEquals(Assurance.ENROLMENT_PENDING, run(new Request("GET", endpoint(MeResource.class, "me")).bearer(ENROLLING))
                .principal().orElseThrow().assurance());
        assertEquals("carol", run(new Request("GET", endpoint(MeResource.class, "me")).bearer(PENDING)).principal().orElseThrow().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    @DisplayName("SEC-6: a cookie-authenticated change without X-CSRF-Token is 403 csrf-rejected")
    void cookieChangeWithoutCsrfToken(String verb) {
        assertRefused(new Request(verb, update).cookie(ALICE), "csrf-rejected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    @DisplayName("SEC-6: a wrong X-CSRF-Token (empty, truncated, extended, another session's) is 403 csrf-rejected")
    void cookieChangeWithWrongCsrfToken(String verb) {
        for (String wrong : List.of("", "csrf-alice-012345678", "csrf-alice-01234567890", "CSRF-ALICE-0123456789", "csrf-bob-9876543210",
                ALICE)) {
            assertRefused(new Request(verb, update).cookie(ALICE).header(Tokens.CSRF_HEADER, wrong), "csrf-rejected");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    @DisplayName("SEC-6, AUD-2: each CSRF refusal is an auth.csrf.refused event: DENIED, whose cookie, the method, from where, no actor")
    void csrfRefusalIsRecorded(String verb) {
        assertRefused(new Request(verb, update).cookie(ALICE), "csrf-rejected");
        assertRefused(new Request(verb, update).cookie(ALICE).header(Tokens.CSRF_HEADER, "csrf-bob-9876543210"), "csrf-rejected");
        auth.sessions.put("token-operator", Fakes.session(null, "op-1", SessionState.AUTHENTICATED, "csrf-op"));
        assertRefused(new Request(verb, update).cookie("token-operator"), "csrf-rejected");
        assertEquals(3, events.published.size());
        MamoriEvent missing = events.published.get(0);
        assertTrue(missing.is(AuthEvents.CSRF_REFUSED));
        assertEquals(MamoriEvent.Outcome.DENIED, missing.outcome());
        assertEquals(Map.of("method", verb, "token", "missing"), missing.details());
        assertEquals("t1", missing.tenantId().orElseThrow());
        assertEquals("user", missing.targetType().orElseThrow());
        assertEquals("alice", missing.targetId().orElseThrow());
        assertEquals(Fakes.CLIENT_IP, missing.clientIp().orElseThrow());
        assertTrue(missing.principalId().isEmpty(), "a forged request acts for nobody");
        assertEquals("wrong", events.published.get(1).details().get("token"));
        assertEquals("platform-account", events.published.get(2).targetType().orElseThrow());
        assertTrue(events.published.get(2).tenantId().isEmpty());
    }

    @Test
    @DisplayName("SEC-6: accepted requests (right token, bearer, reads) publish no refusal")
    void noRefusalNoEvent() {
        run(new Request("POST", update).cookie(ALICE).header(Tokens.CSRF_HEADER, alice.csrfToken()));
        run(new Request("POST", update).bearer(ALICE));
        run(new Request("GET", endpoint(UserResource.class, "list")).cookie(ALICE));
        assertTrue(events.published.isEmpty(), events.published::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    @DisplayName("SEC-6: a cookie-authenticated change with the session's CSRF token runs as the session")
    void cookieChangeWithCsrfToken(String verb) {
        assertSignedInAsAlice(new Request(verb, update).cookie(ALICE).header(Tokens.CSRF_HEADER, alice.csrfToken()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    @DisplayName("SEC-6: reads with the cookie need no CSRF token")
    void safeMethodsExempt(String verb) {
        assertSignedInAsAlice(new Request(verb, endpoint(UserResource.class, "list")).cookie(ALICE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    @DisplayName("SEC-6: bearer-authenticated changes need no CSRF token (a page cannot make a browser send the header)")
    void bearerExempt(String verb) {
        assertSignedInAsAlice(new Request(verb, update).bearer(ALICE));
    }

    @Test
    @DisplayName("SEC-6: without a matched resource method the CSRF check still applies (fail closed)")
    void noMatchedMethodStillChecked() {
        assertRefused(new Request("POST", null).cookie(ALICE), "csrf-rejected");
    }

    @Test
    @DisplayName("SEC-4: an unknown, expired or revoked token on a guarded endpoint is 401 session-invalid, also for reads")
    void staleTokenOnGuardedEndpoint() {
        assertRefused(new Request("GET", endpoint(MeResource.class, "me")).cookie(STALE), "session-invalid");
        assertRefused(new Request("POST", update).bearer(STALE), "session-invalid");
    }

    @Test
    @DisplayName("SEC-4: a request without a token runs without a principal (the services refuse it)")
    void noToken() {
        Request r = new Request("POST", update);
        ExecutionContext after = run(r);
        assertTrue(after.principal().isEmpty());
    }

    @Test
    @DisplayName("IAM-12, SEC-12: the guard names the client behind a trusted proxy and counts it before any token is looked at")
    void clientAddressAndFloodLimit() {
        Request r = new Request("GET", endpoint(MeResource.class, "me")).bearer(ALICE).header("X-Forwarded-For", "203.0.113.9");
        ExecutionContext after = within(Fakes.Guard.PROXY, () -> filter.filter(r.context()));
        assertEquals("203.0.113.9", after.clientIp().orElseThrow());
        assertEquals(List.of("203.0.113.9"), guard.admitted);
        assertEquals(java.util.Collections.singletonList(null), guard.arrivals, "no arrival stamped: counted as now");

        guard.flooding.add("203.0.113.9");
        Request flood = new Request("POST", login).bearer(ALICE).header("X-Forwarded-For", "203.0.113.9");
        AuthException e = assertThrows(AuthException.class, () -> within(Fakes.Guard.PROXY, () -> filter.filter(flood.context())));
        assertEquals("too-many-attempts", e.code());
        assertEquals(List.of(ALICE), auth.asked, "the flooding request never reached the session store");
    }

    @Test
    @DisplayName("SEC-12, EXT-1: the flood limit counts a request by when it arrived (stamped by the REST layer before any hold), "
            + "not by when it reaches the slot")
    void floodLimitByArrival() {
        java.time.Instant arrived = java.time.Instant.parse("2026-01-05T01:02:03.456Z");
        Request r = new Request("GET", endpoint(MeResource.class, "me")).bearer(ALICE);
        r.properties.put(dev.mamori.rest.spi.RestConstants.ARRIVED, arrived);
        run(r);
        assertEquals(List.of(arrived), guard.arrivals);
    }

    /** F6: the sign-in of a browser that still holds a cookie, whatever state that cookie is in. */
    @ParameterizedTest
    @ValueSource(strings = {ALICE, PENDING, ENROLLING, STALE})
    @DisplayName("SEC-6, SEC-4 (F6): login and password reset ignore the session cookie: no CSRF token needed, no session bound")
    void anonymousEndpointsIgnoreTheCookie(String cookie) {
        for (Method anonymous : List.of(login, reset)) {
            Request r = Request.to(anonymous).cookie(cookie);
            ExecutionContext after = run(r);
            assertTrue(after.principal().isEmpty(), Fakes.name(anonymous) + " runs without the cookie's principal");

            // a CSRF token sent along changes nothing either
            Request withToken = Request.to(anonymous).cookie(cookie).header(Tokens.CSRF_HEADER, "csrf-carol");
            assertTrue(run(withToken).principal().isEmpty());
        }
    }

    @Test
    @DisplayName("SEC-4 (F6): login ignores a bearer token too: a sign-in carries no authority of an earlier session")
    void anonymousEndpointsIgnoreBearer() {
        Request r = Request.to(login).bearer(ALICE);
        assertTrue(run(r).principal().isEmpty());
    }

    /**
     * What makes F6 safe: only sign-in and password reset are anonymous, and every other endpoint
     * that changes state keeps the CSRF check for cookie sessions.
     */
    @Test
    @DisplayName("SEC-6 (F6): every other state-changing endpoint still needs X-CSRF-Token with the cookie")
    void everyOtherChangeNeedsTheCsrfToken() {
        Set<String> anonymous = Fakes.endpoints().stream().filter(m -> m.isAnnotationPresent(Anonymous.class)).map(Fakes::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("AuthResource.resetPassword", "AuthResource.signIn"), anonymous);

        int checked = 0;
        for (Method m : Fakes.endpoints()) {
            if (m.isAnnotationPresent(Anonymous.class) || Set.of("GET", "HEAD", "OPTIONS").contains(Fakes.httpMethod(m))) {
                continue;
            }
            for (String cookie : List.of(ALICE, PENDING, ENROLLING)) {
                Request r = Request.to(m).cookie(cookie);
                AuthException e = assertThrows(AuthException.class, () -> run(r), Fakes.name(m));
                assertEquals("csrf-rejected", e.code(), Fakes.name(m));
            }
            checked++;
        }
        assertTrue(checked >= 14, "only " + checked + " state-changing endpoints found");
    }
}
