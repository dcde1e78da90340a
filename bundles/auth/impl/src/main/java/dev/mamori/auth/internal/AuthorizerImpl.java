package dev.mamori.auth.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.shiro.subject.SimplePrincipalCollection;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Authorizer;
import dev.mamori.auth.spi.ScopeRule;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * Checks scoped permissions of the principal in the execution context through the Shiro realm
 * (IAM-2, SEC-11). Only a tenant user of the bound tenant can hold a tenant permission; anything
 * else — no principal, another tenant, a platform account — is refused.
 */
@Component(service = Authorizer.class)
public class AuthorizerImpl implements Authorizer {
    private final MamoriRealm realm;
    /** Rules by (tenant or "" for global, name), then ranking (highest first), then service id. */
    private final Map<RuleKey, ScopeRule> rules = new ConcurrentSkipListMap<>();

    private record RuleKey(String tenant, String name, int ranking, long serviceId) implements Comparable<RuleKey> {
        private static final Comparator<RuleKey> ORDER = Comparator.comparing(RuleKey::tenant).thenComparing(RuleKey::name)
                .thenComparing(Comparator.comparingInt(RuleKey::ranking).reversed()).thenComparingLong(RuleKey::serviceId);

        @Override
        public int compareTo(RuleKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** @param accounts where the grants are */
    @Activate
    public AuthorizerImpl(@Reference Accounts accounts) {
        this.realm = new MamoriRealm(accounts, this::rule);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRule(ScopeRule rule, Map<String, Object> props) {
        key(props).ifPresent(k -> rules.put(k, rule));
    }

    void removeRule(ScopeRule rule, Map<String, Object> props) {
        key(props).ifPresent(rules::remove);
    }

    private static Optional<RuleKey> key(Map<String, Object> props) {
        Object name = props.get(ScopeRule.RULE);
        if (!(name instanceof String) || ((String) name).isBlank()) {
            return Optional.empty();
        }
        Object tenant = props.get(ScopeRule.TENANT);
        Object ranking = props.get(Constants.SERVICE_RANKING);
        return Optional.of(new RuleKey(tenant instanceof String ? (String) tenant : "", ((String) name).toLowerCase(),
                ranking instanceof Integer ? (Integer) ranking : 0, ((Number) props.get(Constants.SERVICE_ID)).longValue()));
    }

    /** The tenant's own rule of that name, else the global one. */
    Optional<ScopeRule> rule(String tenantId, String name) {
        Optional<ScopeRule> own = first(tenantId, name);
        return own.isPresent() ? own : first("", name);
    }

    private Optional<ScopeRule> first(String tenant, String name) {
        return rules.entrySet().stream().filter(e -> e.getKey().tenant().equals(tenant) && e.getKey().name().equals(name))
                .map(Map.Entry::getValue).findFirst();
    }

    @Override
    public boolean isPermitted(String permission) {
        return permitted(ScopedPermission.requested(permission));
    }

    @Override
    public boolean isPermittedInAnyScope(String permission) {
        return permitted(ScopedPermission.requestedInAnyScope(permission));
    }

    @Override
    public void checkInAnyScope(String permission) {
        if (ExecutionContext.current().flatMap(ExecutionContext::principal).isEmpty()) {
            throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "This needs a signed-in account.");
        }
        if (!isPermittedInAnyScope(permission)) {
            throw new AuthException(AuthErrors.FORBIDDEN_PERMISSION, "The permission '" + ScopedPermission.requested(permission)
                    + "' is not granted to this account in any scope.");
        }
    }

    private boolean permitted(ScopedPermission requested) {
        Optional<ExecutionContext> ctx = ExecutionContext.current();
        Principal p = ctx.flatMap(ExecutionContext::principal).orElse(null);
        if (p == null || p.kind() != PrincipalKind.USER) {
            return false;
        }
        // a user's grants apply in its own tenant only, and only with that tenant bound
        if (!Objects.equals(ctx.flatMap(ExecutionContext::tenantId).orElse(null), p.tenantId().orElse(null))) {
            return false;
        }
        return realm.isPermitted(new SimplePrincipalCollection(p, realm.getName()), requested);
    }

    @Override
    public void check(String permission) {
        if (ExecutionContext.current().flatMap(ExecutionContext::principal).isEmpty()) {
            throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "This needs a signed-in account.");
        }
        if (!isPermitted(permission)) {
            throw new AuthException(AuthErrors.FORBIDDEN_PERMISSION, "The permission '" + ScopedPermission.requested(permission)
                    + "' is not granted to this account.");
        }
    }
}
