package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.ADMIN_IP;
import static dev.mamori.auth.internal.AuthFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

/** IAM-12, OPS-3: the per-tenant allow-list service: canonical storage, self-lockout refusal, IPv4 and IPv6, admins only. */
class IpAllowListServiceImplTest {
    private AuthFixture fx;
    private String tenant;

    @BeforeEach
    void setUp() {
        fx = new AuthFixture(AuthDb.h2());
        tenant = fx.newTenant();
    }

    private List<String> replace(String ip, String... ranges) {
        return as(AuthFixture.admin(tenant), tenant, ip, () -> fx.allowLists.replace(Arrays.asList(ranges)));
    }

    private List<String> list() {
        return fx.asAdmin(tenant, () -> fx.allowLists.list());
    }

    private boolean allows(String ip) {
        return fx.tenants.callAs(tenant, () -> fx.allowLists.allows(tenant, ip));
    }

    @Test
    @DisplayName("IAM-12: replace stores and list returns the canonical ranges, in order; the change is published")
    void replaceAndList() {
        assertEquals(List.of(), list(), "empty: unrestricted");
        assertTrue(allows("198.51.100.1"));
        List<String> stored = replace(ADMIN_IP, " 203.0.113.0/24", "2001:0DB8:0:0::/32", ADMIN_IP, "::ffff:198.51.100.7");
        assertEquals(List.of("203.0.113.0/24", "2001:db8::/32", ADMIN_IP, "198.51.100.7"), stored);
        assertEquals(stored, list());
        assertEquals("203.0.113.0/24 2001:db8::/32 192.0.2.10 198.51.100.7",
                fx.events.last(AuthEvents.IP_ALLOWLIST_CHANGED).details().get("ranges"));
        assertTrue(allows("203.0.113.99"));
        assertTrue(allows("2001:db8:ffff::1"));
        assertTrue(allows("198.51.100.7"));
        assertFalse(allows("198.51.100.8"));
        assertFalse(allows("2001:db9::1"));
        assertFalse(allows(null), "an unknown address is never allowed by a non-empty list");
        // replacing replaces
        assertEquals(List.of("10.0.0.0/8", ADMIN_IP), replace(ADMIN_IP, "10.0.0.0/8", ADMIN_IP));
        assertFalse(allows("203.0.113.99"));
        assertEquals(List.of(), replace(ADMIN_IP));
        assertTrue(allows("203.0.113.99"));
        assertEquals("unrestricted", fx.events.last(AuthEvents.IP_ALLOWLIST_CHANGED).details().get("ranges"));
    }

    @Test
    @DisplayName("IAM-12: a list that would shut out the calling admin's own address is refused, IPv4 and IPv6")
    void refusesSelfLockout() {
        AuthException e = assertThrows(AuthException.class, () -> replace(ADMIN_IP, "203.0.113.0/24"));
        assertEquals(AuthErrors.INVALID_IP_RANGE, e.errorCode());
        assertTrue(e.getMessage().contains(ADMIN_IP), e.getMessage());
        assertEquals(List.of(), list(), "nothing stored");
        assertThrows(AuthException.class, () -> replace("2001:db8:1::5", "2001:db8:2::/48"));
        assertEquals(List.of("2001:db8:1::/48"), replace("2001:db8:1::5", "2001:db8:1::/48"));
        assertThrows(AuthException.class, () -> replace(null, "0.0.0.0/0"), "own address unknown");
    }

    @Test
    @DisplayName("IAM-12: entries that are no address or CIDR range are refused, nothing stored")
    void invalidRanges() {
        replace(ADMIN_IP, ADMIN_IP);
        for (String bad : new String[] {"", "abc", "10.0.0.0/33", "10.1.2.3/8", "300.1.1.1", "10.0.0.1-10.0.0.9", "10.*.*.*",
            "2001:db8::/129", "10.0.0.0/255.0.0.0", "localhost", "fe80::1%" + "x".repeat(60)}) {
            AuthException e = assertThrows(AuthException.class, () -> replace(ADMIN_IP, bad, ADMIN_IP), bad);
            assertEquals(AuthErrors.INVALID_IP_RANGE, e.errorCode(), bad);
        }
        assertThrows(AuthException.class, () -> as(AuthFixture.admin(tenant), tenant, ADMIN_IP, () -> fx.allowLists.replace(null)));
        assertThrows(AuthException.class, () -> replace(ADMIN_IP, Collections.nCopies(501, ADMIN_IP).toArray(new String[0])));
        assertEquals(List.of(ADMIN_IP), list());
    }

    @Test
    @DisplayName("IAM-12: the same range twice (also written differently) is stored once, not a database error")
    void duplicates() {
        List<String> stored = replace(ADMIN_IP, "10.0.0.0/8", ADMIN_IP, "10.0.0.0/8", "::ffff:" + ADMIN_IP);
        assertEquals(List.of("10.0.0.0/8", ADMIN_IP), stored);
        assertEquals(stored, list());
    }

    @Test
    @DisplayName("IAM-12: a single address with /32 or /128, or written as IPv4-mapped IPv6, is one entry in the address's own form")
    void singleAddressesAreOneEntry() {
        List<String> stored = replace("127.0.0.1", "127.0.0.1/32", "127.0.0.1", "::ffff:127.0.0.1/128", "::1/128", "::1",
                "0:0:0:0:0:0:0:1", "::ffff:10.0.0.0/104", "10.0.0.0/8", "2001:db8::1/128", "2001:DB8::1");
        assertEquals(List.of("127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::1"), stored);
        assertEquals(stored, list());
        assertEquals(4, AuthDb.query(fx.db.mainDs(), "SELECT cidr FROM mamori_auth_ip_range WHERE tenant_id = ?", tenant).size(),
                "one row each");
        assertTrue(allows("127.0.0.1"));
        assertTrue(allows("::1"));
        assertTrue(allows("10.9.8.7"), "the IPv4-mapped range stands for 10.0.0.0/8, which IPv4 clients match");
        assertTrue(allows("::ffff:10.9.8.7"));
        assertFalse(allows("127.0.0.2"));
        // host bits set are refused (a typo of 10.0.0.5 must not silently allow a /8), so never a second 10.0.0.0/8
        AuthException e = assertThrows(AuthException.class, () -> replace("127.0.0.1", "10.0.0.0/8", "10.0.0.5/8", "127.0.0.1"));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), e.getMessage());
        assertEquals(stored, list());
    }

    @Test
    @DisplayName("SEC-11, OPS-2: only the tenant's own admins read or change its list; other tenants are unaffected")
    void adminsOnly() {
        replace(ADMIN_IP, "203.0.113.0/24", ADMIN_IP);
        User taro = fx.employee(tenant, "taro");
        Principal employee = Principal.user(taro.id(), tenant, Set.of(Roles.EMPLOYEE));
        String other = fx.newTenant();
        Principal otherAdmin = AuthFixture.admin(other);
        Principal operator = Principal.operator("op1", Set.of(Roles.OPERATOR));
        for (Principal p : new Principal[] {employee, otherAdmin, operator}) {
            MamoriException e = assertThrows(MamoriException.class, () -> as(p, tenant, ADMIN_IP, () -> fx.allowLists.list()), p.toString());
            assertEquals(ErrorKind.FORBIDDEN, e.kind());
            assertThrows(MamoriException.class, () -> as(p, tenant, ADMIN_IP, () -> fx.allowLists.replace(List.of())));
        }
        assertEquals(ErrorKind.UNAUTHENTICATED, assertThrows(MamoriException.class,
                () -> as(null, tenant, ADMIN_IP, () -> fx.allowLists.list())).kind());
        assertEquals(List.of("203.0.113.0/24", ADMIN_IP), list());
        // another tenant's list is its own
        assertEquals(List.of(), fx.asAdmin(other, () -> fx.allowLists.list()));
        assertTrue(fx.tenants.callAs(other, () -> fx.allowLists.allows(other, "198.51.100.1")));
        // asking about a tenant other than the bound one is always no
        assertFalse(fx.tenants.callAs(other, () -> fx.allowLists.allows(tenant, "203.0.113.1")));
        assertFalse(fx.allowLists.allows(tenant, "203.0.113.1"), "no tenant bound");
    }

    @Test
    @DisplayName("IAM-12: another node's change is seen within the cache time")
    void cacheExpires() {
        IpAllowListServiceImpl otherNode = new IpAllowListServiceImpl(fx.store, fx.events, fx.clock, AuthConfigs.defaults());
        assertTrue(fx.tenants.callAs(tenant, () -> otherNode.allows(tenant, "198.51.100.1")));
        replace(ADMIN_IP, ADMIN_IP);
        fx.clock.advance(IpAllowListServiceImpl.CACHE_FOR);
        assertFalse(fx.tenants.callAs(tenant, () -> otherNode.allows(tenant, "198.51.100.1")));
    }
}
