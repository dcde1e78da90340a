package dev.mamori.auth;

import java.time.Instant;
import java.util.Set;

import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;

/**
 * A valid session, as the authentication filter sees it.
 *
 * @param id        a short, non-secret id of the session (for logs and events)
 * @param kind      USER for a tenant's account, OPERATOR or SUPPORT for a platform account
 * @param tenantId  the tenant of the account; null for a platform account
 * @param userId    the account
 * @param roles     roles at sign-in (a role change revokes the session)
 * @param state     what the session may do
 * @param createdAt sign-in
 * @param expiresAt absolute end
 * @param csrfToken the CSRF token of the session (SEC-6)
 */
public record Session(String id, PrincipalKind kind, String tenantId, String userId, Set<String> roles, SessionState state, Instant createdAt,
        Instant expiresAt, String csrfToken) {
    /** Copies the roles. */
    public Session {
        roles = Set.copyOf(roles);
    }

    /** @return the principal this session acts as */
    public Principal principal() {
        switch (kind) {
            case OPERATOR:
                return Principal.operator(userId, roles);
            case SUPPORT:
                return Principal.support(userId, roles);
            default:
                return Principal.user(userId, tenantId, roles);
        }
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", tenant=" + tenantId + ", user=" + userId + ", state=" + state + "]";
    }
}
