package dev.mamori.auth.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Resolves one kind of permission scope (IAM-2). A granted permission whose scope is
 * {@code <rule>/<argument>} (e.g. {@code records:read:team/own}) is decided by the rule registered
 * with {@value #RULE}{@code =<rule>}; a rule registered with {@code mamori.tenant=<tenant id>}
 * applies to that tenant only and wins over a global one. Without a rule the scope is matched as a
 * plain wildcard part. Rules run on every check: keep them fast and free of side effects.
 */
@ConsumerType
public interface ScopeRule {
    /** Service property naming the rule. */
    String RULE = "mamori.scope.rule";
    /** Service property limiting a rule to one tenant. */
    String TENANT = "mamori.tenant";

    /**
     * @param tenantId       the tenant of the checked account
     * @param userId         the checked account
     * @param grantedArgument what follows {@code <rule>/} in the granted scope
     * @param requestedScope the scope part of the permission being checked (may be any string)
     * @return whether the grant covers the request
     */
    boolean implies(String tenantId, String userId, String grantedArgument, String requestedScope);
}
