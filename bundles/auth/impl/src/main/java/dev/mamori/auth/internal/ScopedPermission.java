package dev.mamori.auth.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.shiro.authz.Permission;
import org.apache.shiro.authz.permission.WildcardPermission;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.spi.ScopeRule;

/**
 * A permission {@code domain:action[:scope]} (IAM-2). Domain and action are matched as Shiro
 * {@link WildcardPermission} parts ({@code *}, comma lists); the scope is Mamori's: {@code *} or a
 * missing scope covers every scope, {@code dept/*} covers {@code dept/sales} and everything below,
 * {@code <rule>/<argument>} is decided by the {@link ScopeRule} of that name when one is
 * registered, anything else must be equal.
 */
final class ScopedPermission implements Permission {
    private static final Pattern DOMAIN = Pattern.compile("\\*|[a-z][a-z0-9-]{0,39}");
    private static final Pattern ACTION = Pattern.compile("\\*|[a-z][a-z0-9-]{0,39}(,[a-z][a-z0-9-]{0,39}){0,9}");
    private static final Pattern SCOPE = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63}(/([A-Za-z0-9._-]{1,64}|\\*)){0,5}");

    /** Finds the rule of a name for the account's tenant. */
    interface Rules {
        Optional<ScopeRule> rule(String tenantId, String name);
    }

    private final String text;
    private final WildcardPermission head;
    private final String scope;
    private final Rules rules;
    private final String tenantId;
    private final String userId;
    /** A request that any grant of its domain and action meets, whatever the grant's scope. */
    private boolean anyScope;

    private ScopedPermission(String text, String domain, String action, String scope, Rules rules, String tenantId,
            String userId) {
        this.text = text;
        this.head = new WildcardPermission(domain + ":" + action, true);
        this.scope = scope;
        this.rules = rules;
        this.tenantId = tenantId;
        this.userId = userId;
    }

    /**
     * @param text a permission as written
     * @return a permission being asked for (no rules: those apply to grants)
     * @throws AuthException invalid-user if malformed
     */
    static ScopedPermission requested(String text) {
        return of(text, null, null, null);
    }

    /**
     * @param text {@code domain:action}, no scope
     * @return a request met by a grant of that domain and action in any scope: the early check of a
     *         caller that then checks the scope of each thing it touches
     */
    static ScopedPermission requestedInAnyScope(String text) {
        ScopedPermission p = of(text, null, null, null);
        if (p.scope != null) {
            throw new AuthException(AuthErrors.INVALID_USER, "'" + Profiles.printable(p.text) + "' names a scope; "
                    + "a check in any scope names domain:action only.");
        }
        p.anyScope = true;
        return p;
    }

    /** @return a grant of an account, whose {@code <rule>/...} scope is resolved by {@code rules} */
    static ScopedPermission granted(String text, Rules rules, String tenantId, String userId) {
        return of(text, rules, tenantId, userId);
    }

    private static ScopedPermission of(String text, Rules rules, String tenantId, String userId) {
        String t = text == null ? "" : text.strip();
        String[] parts = t.split(":", -1);
        if (t.contains("/./") || t.contains("/../") || t.endsWith("/.") || t.endsWith("/..") || t.contains(":./") || t.contains(":../")
                || t.endsWith(":.") || t.endsWith(":..")) {
            throw new AuthException(AuthErrors.INVALID_USER, "A scope segment may not be '.' or '..': scopes are labels, not paths.");
        }
        if (parts.length < 2 || parts.length > 3 || !DOMAIN.matcher(parts[0]).matches() || !ACTION.matcher(parts[1]).matches()
                || parts.length == 3 && !SCOPE.matcher(parts[2]).matches()) {
            throw new AuthException(AuthErrors.INVALID_USER, "'" + Profiles.printable(t) + "' is no permission: write "
                    + "domain:action[:scope], e.g. records:read:dept/sales (lower-case domain and actions, '*' for all).");
        }
        return new ScopedPermission(t, parts[0], parts[1], parts.length == 3 ? parts[2] : null, rules, tenantId, userId);
    }

    /**
     * @param permissions grants as written
     * @param max         most grants
     * @return the grants, trimmed and sorted
     */
    static Set<String> validate(Collection<String> permissions, int max) {
        if (permissions == null) {
            return Set.of();
        }
        if (permissions.size() > max) {
            throw new AuthException(AuthErrors.INVALID_USER, "An account holds at most " + max + " permissions.");
        }
        Set<String> out = new TreeSet<>();
        for (String p : permissions) {
            out.add(requested(p).text);
        }
        return out;
    }

    /** @return the grants stored as space-separated text */
    static Set<String> parse(String stored) {
        if (stored == null || stored.isBlank()) {
            return Set.of();
        }
        return new TreeSet<>(Arrays.asList(stored.trim().split(" +")));
    }

    @Override
    public boolean implies(Permission p) {
        if (!(p instanceof ScopedPermission)) {
            return false;
        }
        ScopedPermission other = (ScopedPermission) p;
        return head.implies(other.head) && (other.anyScope || scopeImplies(other.scope));
    }

    private boolean scopeImplies(String requested) {
        if (scope == null || scope.equals("*")) {
            return true;
        }
        if (requested == null || requested.equals("*")) {
            return false;
        }
        int slash = scope.indexOf('/');
        if (slash > 0 && rules != null) {
            Optional<ScopeRule> rule = rules.rule(tenantId, scope.substring(0, slash).toLowerCase(Locale.ROOT));
            if (rule.isPresent()) {
                return rule.get().implies(tenantId, userId, scope.substring(slash + 1), requested);
            }
        }
        if (scope.endsWith("/*")) {
            String prefix = scope.substring(0, scope.length() - 1);
            return requested.startsWith(prefix) && requested.length() > prefix.length();
        }
        return scope.equals(requested);
    }

    @Override
    public String toString() {
        return text;
    }
}
