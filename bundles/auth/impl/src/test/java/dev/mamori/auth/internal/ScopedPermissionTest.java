package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.shiro.authz.permission.WildcardPermission;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.spi.ScopeRule;

/** IAM-2: Mamori's scoped permissions domain:action[:scope] - Shiro wildcards for domain and action, scopes by prefix or rule. */
class ScopedPermissionTest {
    private static final ScopedPermission.Rules NO_RULES = (t, n) -> Optional.empty();

    private static boolean implies(String granted, String requested) {
        return ScopedPermission.granted(granted, NO_RULES, "t1", "u1").implies(ScopedPermission.requested(requested));
    }

    @Test
    @DisplayName("IAM-2: an exact scope grants that scope only")
    void exactScope() {
        assertTrue(implies("records:read:dept/sales", "records:read:dept/sales"));
        assertFalse(implies("records:read:dept/sales", "records:read:dept/hr"));
        assertFalse(implies("records:read:dept/sales", "records:read:dept/sales/tokyo"));
        assertFalse(implies("records:read:dept/sales", "records:write:dept/sales"));
        assertFalse(implies("records:read:dept/sales", "reports:read:dept/sales"));
        assertFalse(implies("records:read:dept/sales", "records:read"), "a scoped grant does not cover the unscoped permission");
        assertFalse(implies("records:read:dept/sales", "records:read:*"), "nor every scope");
        assertFalse(implies("records:read:dept/sales", "records:read:dept/Sales"), "scopes are case-sensitive");
    }

    @Test
    @DisplayName("IAM-2: dept/* covers dept/sales and below, not dept itself nor a sibling prefix")
    void prefixScope() {
        assertTrue(implies("records:read:dept/*", "records:read:dept/sales"));
        assertTrue(implies("records:read:dept/*", "records:read:dept/sales/tokyo"));
        assertFalse(implies("records:read:dept/*", "records:read:dept"));
        assertFalse(implies("records:read:dept/*", "records:read:department/sales"));
        assertFalse(implies("records:read:dept/*", "records:read:site/dept/sales"));
        assertFalse(implies("records:read:dept/sales/*", "records:read:dept/hr/x"));
    }

    @Test
    @DisplayName("IAM-2: '*' and a missing scope cover every scope; Shiro wildcards and lists for domain and action")
    void wildcards() {
        assertTrue(implies("records:read", "records:read:dept/sales"));
        assertTrue(implies("records:read:*", "records:read:dept/sales"));
        assertTrue(implies("records:*:dept/sales", "records:write:dept/sales"));
        assertTrue(implies("*:read", "reports:read:x"));
        assertTrue(implies("records:read,write:dept/sales", "records:write:dept/sales"));
        assertFalse(implies("records:read,write:dept/sales", "records:delete:dept/sales"));
        assertFalse(implies("records:read", "records:read,write:dept/sales"), "asking for two actions needs both");
        assertTrue(implies("records:read,write", "records:read,write:dept/sales"));
    }

    @Test
    @DisplayName("IAM-2: a <rule>/<argument> scope is decided by the rule, with the account, argument and requested scope")
    void ruleScope() {
        List<String> calls = new ArrayList<>();
        ScopeRule team = (tenant, user, arg, requested) -> {
            calls.add(tenant + " " + user + " " + arg + " " + requested);
            return requested.equals("team/" + user);
        };
        ScopedPermission.Rules rules = (t, n) -> n.equals("team") ? Optional.of(team) : Optional.empty();
        ScopedPermission g = ScopedPermission.granted("records:read:team/own", rules, "t1", "u1");
        assertTrue(g.implies(ScopedPermission.requested("records:read:team/u1")));
        assertFalse(g.implies(ScopedPermission.requested("records:read:team/u2")));
        assertEquals(List.of("t1 u1 own team/u1", "t1 u1 own team/u2"), calls);
        assertFalse(g.implies(ScopedPermission.requested("records:write:team/u1")), "the rule decides the scope only");
        assertEquals(2, calls.size());
        // without a rule of that name, the scope is matched as written
        ScopedPermission plain = ScopedPermission.granted("records:read:team/own", NO_RULES, "t1", "u1");
        assertTrue(plain.implies(ScopedPermission.requested("records:read:team/own")));
        assertFalse(plain.implies(ScopedPermission.requested("records:read:team/u1")));
    }

    @Test
    @DisplayName("IAM-2: malformed permissions are refused as invalid-user; grants are trimmed and sorted")
    void validation() {
        for (String bad : new String[] {null, "", "records", "Records:read", "records:Read", "records:read:", "records:read:dept/",
            "records:read:/dept", "records:read:a:b", "records:read:dept sales", "records:read:dept\nsales", "1records:read",
            "records:read:" + "a/".repeat(7) + "a"}) {
            AuthException e = assertThrows(AuthException.class, () -> ScopedPermission.requested(bad), String.valueOf(bad));
            assertEquals(AuthErrors.INVALID_USER, e.errorCode());
        }
        assertEquals(List.of("a:b", "records:read:dept/sales"),
                new ArrayList<>(ScopedPermission.validate(List.of(" records:read:dept/sales ", "a:b", "a:b"), 50)));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("p" + i + ":read");
        }
        assertEquals(AuthErrors.INVALID_USER, assertThrows(AuthException.class, () -> ScopedPermission.validate(many, 50)).errorCode());
        assertEquals(50, ScopedPermission.validate(many.subList(0, 50), 50).size());
        assertEquals(Set.of("a:b", "c:d"), ScopedPermission.parse(" a:b  c:d "));
        assertEquals(Set.of(), ScopedPermission.parse(""));
        // the Shiro part is Shiro's own semantics
        assertTrue(new WildcardPermission("records:*", true).implies(new WildcardPermission("records:read", true)));
    }

    @Test
    @DisplayName("IAM-2: scopes are labels, not paths: '.' and '..' segments are refused, so dept/* cannot reach dept/../hr")
    void noDotSegments() {
        for (String bad : new String[] {"records:read:dept/../hr", "records:read:dept/.", "records:read:../hr", "records:read:dept/..",
            "records:read:./x"}) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.mamori.auth.AuthException.class, () -> ScopedPermission.requested(bad), bad);
        }
        assertTrue(implies("records:read:dept/*", "records:read:dept/a.b"));
    }
}
