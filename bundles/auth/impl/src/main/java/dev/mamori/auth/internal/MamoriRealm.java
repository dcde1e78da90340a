package dev.mamori.auth.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.Permission;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;

import dev.mamori.auth.Roles;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;

/**
 * The Shiro realm of tenant users' roles and scoped permissions (IAM-2), read from the account row
 * on every check (no cache: a revoked grant takes effect at once, on every node). Tenant admins
 * hold {@code users:*} and {@code ip-allowlist:*} of their tenant besides their grants.
 * Authentication is not done through this realm: sign-in needs lockout, throttling and
 * enumeration resistance that Shiro's authenticator does not have, so the realm supports no token.
 */
final class MamoriRealm extends AuthorizingRealm {
    /** Implied by the tenant-admin role. */
    static final Set<String> ADMIN_PERMISSIONS = Set.of("users:*", "ip-allowlist:*");

    private final Accounts accounts;
    private final ScopedPermission.Rules rules;

    MamoriRealm(Accounts accounts, ScopedPermission.Rules rules) {
        this.accounts = accounts;
        this.rules = rules;
        setName("mamori");
        setAuthorizationCachingEnabled(false);
        setAuthenticationCachingEnabled(false);
    }

    @Override
    public boolean supports(AuthenticationToken token) {
        return false;
    }

    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
        // no account is ever found through this realm (see the class comment)
        return null;
    }

    @Override
    protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
        Principal p = (Principal) principals.getPrimaryPrincipal();
        SimpleAuthorizationInfo info = new SimpleAuthorizationInfo();
        if (p.kind() != PrincipalKind.USER || p.tenantId().isEmpty()) {
            return info;
        }
        UserEntity u = accounts.byId(p.id()).filter(x -> "ACTIVE".equals(x.state)).orElse(null);
        if (u == null) {
            return info;
        }
        Set<String> roles = Sessions.roles(u.roles);
        info.setRoles(roles);
        Set<Permission> perms = new LinkedHashSet<>();
        String tenantId = p.tenantId().get();
        for (String g : ScopedPermission.parse(u.permissions)) {
            perms.add(ScopedPermission.granted(g, rules, tenantId, u.id));
        }
        if (roles.contains(Roles.TENANT_ADMIN)) {
            for (String g : ADMIN_PERMISSIONS) {
                perms.add(ScopedPermission.granted(g, rules, tenantId, u.id));
            }
        }
        info.setObjectPermissions(perms);
        return info;
    }
}
