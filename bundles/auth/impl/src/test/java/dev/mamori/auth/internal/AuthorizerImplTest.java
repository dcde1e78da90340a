package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.ADMIN_IP;
import static dev.mamori.auth.internal.AuthFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.auth.spi.ScopeRule;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

/** IAM-2, SEC-11: the Authorizer over the principal in the execution context, grants read from the account row. */
class AuthorizerImplTest {
    private AuthFixture fx;
    private String tenant;
    private User taro;
    private long serviceIds = 100;

    @BeforeEach
    void setUp() {
        fx = new AuthFixture(AuthDb.h2());
        tenant = fx.newTenant();
        taro = fx.employee(tenant, "taro");
    }

    private void grant(String... permissions) {
        fx.asAdmin(tenant, () -> fx.users.setPermissions(taro.id(), Set.of(permissions)));
    }

    private Principal taroP() {
        return Principal.user(taro.id(), tenant, Set.of(Roles.EMPLOYEE));
    }

    private boolean permitted(String permission) {
        return as(taroP(), tenant, ADMIN_IP, () -> fx.authorizer.isPermitted(permission));
    }

    private Map<String, Object> props(String rule, String forTenant, Integer ranking) {
        Map<String, Object> p = new HashMap<>();
        p.put(ScopeRule.RULE, rule);
        p.put(Constants.SERVICE_ID, serviceIds++);
        if (forTenant != null) {
            p.put(ScopeRule.TENANT, forTenant);
        }
        if (ranking != null) {
            p.put(Constants.SERVICE_RANKING, ranking);
        }
        return p;
    }

    @Test
    @DisplayName("IAM-2: a granted scope is permitted; another department is refused; dept/* covers dept/sales")
    void grantedScopes() {
        assertFalse(permitted("records:read:dept/sales"), "nothing granted yet");
        grant("records:read:dept/sales");
        assertTrue(permitted("records:read:dept/sales"));
        assertFalse(permitted("records:read:dept/hr"));
        assertFalse(permitted("records:write:dept/sales"));
        grant("records:read:dept/*");
        assertTrue(permitted("records:read:dept/sales"));
        assertTrue(permitted("records:read:dept/hr"));
        assertFalse(permitted("records:read:site/tokyo"));
        // the grant is read at every check: a revocation applies at once
        grant();
        assertFalse(permitted("records:read:dept/sales"));
    }

    @Test
    @DisplayName("IAM-2: in any scope - a grant of the domain and action in some scope meets it, another action does not")
    void anyScope() {
        java.util.function.Predicate<String> any = perm -> as(taroP(), tenant, ADMIN_IP, () -> fx.authorizer.isPermittedInAnyScope(perm));
        assertFalse(any.test("records:read"), "nothing granted yet");
        grant("records:read:health-checkup/dept/sales");
        assertTrue(any.test("records:read"));
        assertFalse(any.test("records:write"));
        assertFalse(any.test("users:read"));
        assertFalse(permitted("records:read:health-checkup/dept/hr"), "the scope itself is still checked");
        assertThrows(AuthException.class, () -> as(taroP(), tenant, ADMIN_IP, () -> fx.authorizer.isPermittedInAnyScope("records:read:x")),
                "a request in any scope names no scope");
        grant("records:*");
        assertTrue(any.test("records:write"));
        assertFalse(fx.authorizer.isPermittedInAnyScope("records:read"), "no principal");
        AuthException e = assertThrows(AuthException.class, () -> as(taroP(), tenant, ADMIN_IP, () -> {
            fx.authorizer.checkInAnyScope("users:read");
            return null;
        }));
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
    }

    @Test
    @DisplayName("SEC-11: check() throws FORBIDDEN without the permission, UNAUTHENTICATED without a principal")
    void check() {
        grant("records:read:dept/sales");
        as(taroP(), tenant, ADMIN_IP, () -> {
            fx.authorizer.check("records:read:dept/sales");
            return null;
        });
        AuthException e = assertThrows(AuthException.class,
                () -> as(taroP(), tenant, ADMIN_IP, () -> {
                    fx.authorizer.check("records:read:dept/hr");
                    return null;
                }));
        assertEquals(AuthErrors.FORBIDDEN_PERMISSION, e.errorCode());
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
        MamoriException none = assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST).tenant(tenant).build()
                .call(() -> {
                    fx.authorizer.check("records:read:dept/sales");
                    return null;
                }));
        assertEquals(ErrorKind.UNAUTHENTICATED, none.kind());
    }

    @Test
    @DisplayName("SEC-11: no principal, another tenant bound, a platform principal, a deactivated account: never permitted")
    void failsClosed() {
        grant("records:read:dept/sales", "users:read");
        assertFalse(fx.authorizer.isPermitted("records:read:dept/sales"), "no context at all");
        assertFalse(ExecutionContext.builder(Channel.REST).tenant(tenant).build().call(() -> fx.authorizer.isPermitted("records:read:dept/sales")));
        String other = fx.newTenant();
        assertFalse(as(taroP(), other, ADMIN_IP, () -> fx.authorizer.isPermitted("records:read:dept/sales")));
        assertFalse(as(taroP(), null, ADMIN_IP, () -> fx.authorizer.isPermitted("records:read:dept/sales")));
        // a principal claiming another tenant's account id with this tenant bound finds nothing
        Principal forged = Principal.user(taro.id(), other, Set.of(Roles.EMPLOYEE));
        assertFalse(as(forged, other, ADMIN_IP, () -> fx.authorizer.isPermitted("records:read:dept/sales")));
        assertFalse(as(Principal.operator("op1", Set.of(Roles.OPERATOR)), tenant, ADMIN_IP,
                () -> fx.authorizer.isPermitted("records:read:dept/sales")));
        assertFalse(as(Principal.system("job"), tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("users:read")));
        fx.asAdmin(tenant, () -> fx.users.deactivate(taro.id()));
        assertFalse(permitted("records:read:dept/sales"));
    }

    @Test
    @DisplayName("IAM-2: tenant admins hold users:* and ip-allowlist:* of their own tenant, nothing else by role")
    void adminImplied() {
        User boss = fx.create(tenant, "boss", "A-1", Set.of(Roles.TENANT_ADMIN), dev.mamori.auth.Profile.EMPTY,
                AuthFixture.ADMIN_PASSWORD);
        Principal p = Principal.user(boss.id(), tenant, Set.of(Roles.TENANT_ADMIN));
        assertTrue(as(p, tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("users:create")));
        assertTrue(as(p, tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("users:erase:any")));
        assertTrue(as(p, tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("ip-allowlist:replace")));
        assertFalse(as(p, tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("records:read:dept/sales")));
        assertFalse(permitted("users:create"), "an employee is no admin");
        // the role is read from the account, not believed from the principal
        Principal claims = Principal.user(taro.id(), tenant, Set.of(Roles.TENANT_ADMIN));
        assertFalse(as(claims, tenant, ADMIN_IP, () -> fx.authorizer.isPermitted("users:create")));
        // and only in its own tenant
        String other = fx.newTenant();
        assertFalse(as(p, other, ADMIN_IP, () -> fx.authorizer.isPermitted("users:create")));
    }

    @Test
    @DisplayName("IAM-2: a ScopeRule registered as mamori.scope.rule=team decides team/... grants; a tenant's own rule wins over the global one")
    void scopeRuleSpi() {
        grant("records:read:team/own");
        ScopeRule global = (t, u, arg, requested) -> requested.equals("team/" + u);
        ScopeRule everything = (t, u, arg, requested) -> true;
        ScopeRule nothing = (t, u, arg, requested) -> false;
        assertFalse(permitted("records:read:team/" + taro.id()), "no rule: matched as written");
        assertTrue(permitted("records:read:team/own"));

        Map<String, Object> globalProps = props("team", null, null);
        fx.authorizer.addRule(global, globalProps);
        assertTrue(permitted("records:read:team/" + taro.id()));
        assertFalse(permitted("records:read:team/someone-else"));

        // another tenant's rule does not apply here
        fx.authorizer.addRule(everything, props("team", fx.newTenant(), null));
        assertFalse(permitted("records:read:team/someone-else"));

        Map<String, Object> own = props("team", tenant, null);
        fx.authorizer.addRule(nothing, own);
        assertFalse(permitted("records:read:team/" + taro.id()), "the tenant's rule wins over the global one");
        // a higher ranking among the tenant's rules wins
        Map<String, Object> ranked = props("TEAM", tenant, 10);
        fx.authorizer.addRule(everything, ranked);
        assertTrue(permitted("records:read:team/someone-else"));
        fx.authorizer.removeRule(everything, ranked);
        fx.authorizer.removeRule(nothing, own);
        assertTrue(permitted("records:read:team/" + taro.id()), "back to the global rule");
        fx.authorizer.removeRule(global, globalProps);
        assertFalse(permitted("records:read:team/" + taro.id()));
        // registrations without a rule name are ignored
        fx.authorizer.addRule(everything, new HashMap<>(Map.of(Constants.SERVICE_ID, 999L)));
        assertFalse(permitted("records:read:team/" + taro.id()));
    }
}
