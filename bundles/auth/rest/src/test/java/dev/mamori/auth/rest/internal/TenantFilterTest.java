package dev.mamori.auth.rest.internal;

import static dev.mamori.auth.rest.internal.Fakes.endpoint;
import static dev.mamori.auth.rest.internal.Fakes.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.rest.internal.Fakes.Request;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.TenantState;

@DisplayName("TenantFilter: the session's tenant, only while accessible (TEN-2), and its IP allow-list on every request (IAM-12, OPS-3)")
class TenantFilterTest {
    private static final String OFFICE = "192.0.2.10";
    private static final String ELSEWHERE = "203.0.113.50";
    private static final String OPS_DESK = "198.51.100.200";

    private final Map<String, TenantState> states = new HashMap<>();
    private final Fakes.AllowLists allowLists = new Fakes.AllowLists();
    private final Fakes.Events events = new Fakes.Events();
    private final TenantFilter filter = new TenantFilter(Fakes.tenants(states), allowLists, events);

    private final Session alice = Fakes.session("t1", "alice", SessionState.AUTHENTICATED, "c");
    private final Session operator = Fakes.session(null, "op", SessionState.AUTHENTICATED, "c");

    @BeforeEach
    void setUp() {
        states.put("t1", TenantState.ACTIVE);
        states.put("t2", TenantState.ACTIVE);
        allowLists.tenants.put("t1", Set.of(OFFICE));
        allowLists.tenants.put("t2", Set.of(OPS_DESK, ELSEWHERE));
        allowLists.platform.add(OPS_DESK);
    }

    private Request request(Session s) {
        return Request.to(endpoint(UserResource.class, "list")).withSession(s);
    }

    private AuthException refused(Session s, String ip) {
        return assertThrows(AuthException.class, () -> within(ip, () -> filter.filter(request(s).context())));
    }

    @Test
    @DisplayName("IAM-12: a tenant user from an allowed address passes, with the tenant bound")
    void allowedAddress() {
        ExecutionContext after = within(OFFICE, () -> filter.filter(request(alice).context()));
        assertEquals(Optional.of("t1"), after.tenantId());
        assertEquals(List.of("t1@" + OFFICE), allowLists.asked, "checked against its tenant's list with the request's address");
        assertTrue(events.published.isEmpty());
    }

    @Test
    @DisplayName("IAM-12: a tenant user from another address is 403 ip-not-allowed, with an auth.ip-refused event")
    void refusedAddress() {
        assertEquals("ip-not-allowed", refused(alice, ELSEWHERE).code());
        assertEquals(1, events.published.size());
        MamoriEvent e = events.published.get(0);
        assertEquals(AuthEvents.IP_REFUSED.name(), e.type());
        assertEquals(MamoriEvent.Outcome.DENIED, e.outcome());
        assertEquals(Optional.of("t1"), e.tenantId());
        assertEquals(Optional.of("alice"), e.targetId());
    }

    @Test
    @DisplayName("IAM-12: the list is asked on every request: a session signed in from the office is refused once the list changes")
    void everyRequest() {
        within(OFFICE, () -> filter.filter(request(alice).context()));
        allowLists.tenants.put("t1", Set.of("192.0.2.99"));
        assertEquals("ip-not-allowed", refused(alice, OFFICE).code());
        assertEquals(2, allowLists.asked.size());
    }

    @Test
    @DisplayName("IAM-12: an unknown client address (a malformed proxy chain) is refused by a non-empty list")
    void unknownAddress() {
        assertEquals("ip-not-allowed", refused(alice, null).code());
    }

    @Test
    @DisplayName("IAM-12: a tenant user is not let in by the platform's list")
    void tenantUserNotByThePlatformList() {
        assertEquals("ip-not-allowed", refused(alice, OPS_DESK).code());
    }

    @ParameterizedTest
    @EnumSource(value = TenantState.class, names = {"EXPIRED", "DELETED", "PURGED"})
    @DisplayName("TEN-2: a session of a tenant whose users have lost access is 401 session-invalid, also from an allowed address")
    void inaccessibleTenant(TenantState state) {
        states.put("t1", state);
        assertEquals("session-invalid", refused(alice, OFFICE).code());
    }

    @Test
    @DisplayName("TEN-4: a session of a tenant that is gone is 401 session-invalid")
    void vanishedTenant() {
        states.remove("t1");
        assertEquals("session-invalid", refused(alice, OFFICE).code());
    }

    @Test
    @DisplayName("OPS-3: a platform account from the platform's list passes, with no tenant bound")
    void platformAllowed() {
        ExecutionContext after = within(OPS_DESK, () -> filter.filter(request(operator).context()));
        assertEquals(Optional.empty(), after.tenantId());
        assertEquals(List.of("platform@" + OPS_DESK), allowLists.asked);
    }

    @Test
    @DisplayName("OPS-3: a platform account from elsewhere is 403 ip-not-allowed, even from an address a tenant allows")
    void platformRefused() {
        assertEquals("ip-not-allowed", refused(operator, ELSEWHERE).code());
        assertEquals(List.of("platform@" + ELSEWHERE), allowLists.asked);
        MamoriEvent e = events.published.get(0);
        assertEquals(AuthEvents.IP_REFUSED.name(), e.type());
        assertEquals(MamoriEvent.Outcome.DENIED, e.outcome());
        assertEquals(Optional.of("platform-account"), e.targetType());
        assertEquals(Optional.of("op"), e.targetId());
    }

    @Test
    @DisplayName("IAM-12: a request without a session is left to the services (no tenant bound, no list asked)")
    void noSession() {
        ExecutionContext after = within(ELSEWHERE, () -> filter.filter(Request.to(endpoint(AuthResource.class, "signIn")).context()));
        assertEquals(Optional.empty(), after.tenantId());
        assertTrue(allowLists.asked.isEmpty());
    }

    @Test
    @DisplayName("IAM-12, EXT-1: the tenant slot works from the principal in the execution context, whichever filter authenticated it")
    void principalOfAnotherAuthenticationFilter() {
        ExecutionContext c = ExecutionContext.builder(Channel.REST).clientIp(OFFICE).principal(Principal.user("bot", "t1", Set.of()))
                .build();
        ExecutionContext after = c.call(() -> {
            filter.filter(Request.to(endpoint(UserResource.class, "list")).context());
            return ExecutionContext.require();
        });
        assertEquals(Optional.of("t1"), after.tenantId());
        ExecutionContext elsewhere = c.toBuilder().clientIp(ELSEWHERE).build();
        assertEquals("ip-not-allowed", assertThrows(AuthException.class, () -> elsewhere.run(() -> filter.filter(
                Request.to(endpoint(UserResource.class, "list")).context()))).code());
    }
}
