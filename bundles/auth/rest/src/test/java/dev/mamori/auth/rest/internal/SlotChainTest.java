package dev.mamori.auth.rest.internal;

import static dev.mamori.auth.rest.internal.Fakes.endpoint;
import static dev.mamori.auth.rest.internal.Fakes.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.rest.internal.Fakes.Request;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.tenant.TenantState;

/**
 * The four slot filters in the order the REST server runs them (authentication, tenant, MFA,
 * permission): the browser of finding F6, which still holds a cookie when it signs in again.
 */
@DisplayName("Slot chain: a browser holding a session cookie signs in again (F6; SEC-4, SEC-6, IAM-11)")
class SlotChainTest {
    private static final String SIGNED_IN = "token-signed-in";
    private static final String PENDING = "token-pending-mfa";

    private final Fakes.Authentication auth = new Fakes.Authentication();
    private final Fakes.AllowLists allowLists = new Fakes.AllowLists();
    private final Fakes.Grants grants = new Fakes.Grants();
    private final List<ContainerRequestFilter> chain = List.of(new SessionFilter(auth, new Fakes.Guard(), new Fakes.Events()),
            new TenantFilter(Fakes.tenants(Map.of("t1", TenantState.ACTIVE)), allowLists, new Fakes.Events()), new MfaFilter(),
            new PermissionFilter(grants));

    private final Session signedIn = Fakes.session("t1", "alice", SessionState.AUTHENTICATED, "csrf-alice");
    private final Session pending = Fakes.session("t1", "alice", SessionState.MFA_REQUIRED, "csrf-pending");

    @BeforeEach
    void setUp() {
        auth.sessions.put(SIGNED_IN, signedIn);
        auth.sessions.put(PENDING, pending);
        allowLists.tenants.put("t1", Set.of(Fakes.CLIENT_IP));
        grants.grants.put("alice", new java.util.HashSet<>(Set.of("users:write")));
    }

    private ExecutionContext run(Request r) {
        ContainerRequestContext c = r.context();
        return within(() -> chain.forEach(f -> {
            try {
                f.filter(c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    private String refusal(Request r) {
        return assertThrows(AuthException.class, () -> run(r)).code();
    }

    private static List<Method> anonymous() {
        return List.of(endpoint(AuthResource.class, "signIn"), endpoint(AuthResource.class, "resetPassword"));
    }

    @Test
    @DisplayName("SEC-6 (F6): login and password reset with a signed-in or pending cookie and no CSRF token reach the resource unauthenticated")
    void signInAgainWithoutCsrfToken() {
        for (Method m : anonymous()) {
            for (String cookie : List.of(SIGNED_IN, PENDING)) {
                assertTrue(run(Request.to(m).cookie(cookie)).principal().isEmpty(), Fakes.name(m) + " " + cookie);
            }
        }
    }

    @Test
    @DisplayName("IAM-11 (F6): login and password reset with a pending-MFA cookie and its CSRF token are not stopped by the MFA gate")
    void signInAgainWhileMfaPending() {
        for (Method m : anonymous()) {
            assertTrue(run(Request.to(m).cookie(PENDING).header(Tokens.CSRF_HEADER, "csrf-pending")).principal().isEmpty(),
                    Fakes.name(m));
        }
    }

    @Test
    @DisplayName("IAM-11: the pending cookie with its CSRF token reaches verify and recovery, and nothing that needs a full session")
    void pendingSession() {
        for (String step : List.of("verifyMfa", "recover", "signOut")) {
            Request r = Request.to(endpoint(AuthResource.class, step)).cookie(PENDING).header(Tokens.CSRF_HEADER, "csrf-pending");
            assertEquals("alice", run(r).principal().orElseThrow().id());
        }
        assertEquals("csrf-rejected", refusal(Request.to(endpoint(AuthResource.class, "verifyMfa")).cookie(PENDING)));
        assertEquals("mfa-required", refusal(Request.to(endpoint(AuthResource.class, "changePassword")).cookie(PENDING)
                .header(Tokens.CSRF_HEADER, "csrf-pending")));
        assertEquals("mfa-required", refusal(Request.to(endpoint(UserResource.class, "create")).cookie(PENDING)
                .header(Tokens.CSRF_HEADER, "csrf-pending")));
    }

    @Test
    @DisplayName("SEC-6, IAM-2: a signed-in cookie still needs its CSRF token and the permission for a change")
    void signedInSession() {
        Method create = endpoint(UserResource.class, "create");
        assertEquals("csrf-rejected", refusal(Request.to(create).cookie(SIGNED_IN)));
        ExecutionContext after = run(Request.to(create).cookie(SIGNED_IN).header(Tokens.CSRF_HEADER, "csrf-alice"));
        assertEquals("t1", after.tenantId().orElseThrow());
        grants.grants.get("alice").clear();
        assertEquals("permission-missing", refusal(Request.to(create).cookie(SIGNED_IN).header(Tokens.CSRF_HEADER, "csrf-alice")));
    }
}
