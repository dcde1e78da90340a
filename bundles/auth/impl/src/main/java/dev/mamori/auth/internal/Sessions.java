package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.auth.internal.session.SessionPolicy;
import dev.mamori.auth.internal.store.SessionEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;

/**
 * Sessions in the database, found by the SHA-256 of their token (SEC-4, OPS-4): any node serves
 * any request, and nothing that would let a database reader sign in is stored.
 */
@Component(service = Sessions.class, configurationPid = AuthConfig.PID)
public class Sessions {
    private final AuthStore store;
    private final Clock clock;
    private volatile SessionPolicy policy;

    /**
     * @param store  persistence
     * @param clock  the platform clock
     * @param config lifetimes
     */
    @Activate
    public Sessions(@Reference AuthStore store, @Reference Clock clock, AuthConfig config) {
        this(store, clock, policy(config));
    }

    /** For tests. */
    public Sessions(AuthStore store, Clock clock, SessionPolicy policy) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
    }

    @Modified
    void modified(AuthConfig config) {
        this.policy = policy(config);
    }

    static SessionPolicy policy(AuthConfig c) {
        return new SessionPolicy(Duration.ofMinutes(c.session_idle_minutes()), Duration.ofHours(c.session_absolute_hours()));
    }

    /** Opens a new session for an account. */
    SignIn open(Space space, String userId, Set<String> roles, SessionState state) {
        String token = Secrets.newToken();
        Instant now = clock.instant();
        SessionEntity e = new SessionEntity();
        e.tokenHash = Secrets.hash(token);
        e.sessionId = e.tokenHash.substring(0, 16);
        e.kind = kind(space, roles).name();
        e.tenantId = space.tenantId();
        e.userId = userId;
        e.roles = String.join(",", new TreeSet<>(roles));
        e.state = state.name();
        e.clientIp = ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null);
        e.createdAt = now;
        e.lastSeenAt = now;
        store.global(em -> {
            em.persist(e);
            return null;
        });
        return new SignIn(token, state, now.plus(policy.absolute()), Secrets.csrfToken(token));
    }

    /**
     * @return the valid session of the token, touched when due
     * @throws AuthException session-invalid otherwise (an expired session is deleted)
     */
    Session validate(String token) {
        if (token == null || !Secrets.isToken(token)) {
            throw invalid();
        }
        String hash = Secrets.hash(token);
        Instant now = clock.instant();
        SessionEntity e = store.global(em -> em.find(SessionEntity.class, hash));
        if (e == null) {
            throw invalid();
        }
        if (!policy.valid(e.createdAt, e.lastSeenAt, now)) {
            revokeHash(hash);
            throw invalid();
        }
        if (policy.touchDue(e.lastSeenAt, now)) {
            store.global(em -> em.createQuery("UPDATE AuthSession s SET s.lastSeenAt = :now WHERE s.tokenHash = :h")
                    .setParameter("now", now).setParameter("h", hash).executeUpdate());
        }
        return new Session(e.sessionId, PrincipalKind.valueOf(e.kind), e.tenantId, e.userId, roles(e.roles), SessionState.valueOf(e.state), e.createdAt,
                e.createdAt.plus(policy.absolute()), Secrets.csrfToken(token));
    }

    /** Ends one session; unknown tokens are ignored. */
    void revoke(String token) {
        if (token != null && Secrets.isToken(token)) {
            revokeHash(Secrets.hash(token));
        }
    }

    /** Uses up a session waiting for its second factor. @return whether this call deleted it */
    boolean consumePending(String token) {
        if (token == null || !Secrets.isToken(token)) {
            return false;
        }
        String hash = Secrets.hash(token);
        return store.global(em -> em.createQuery("DELETE FROM AuthSession s WHERE s.tokenHash = :h AND s.state = :s")
                .setParameter("h", hash).setParameter("s", SessionState.MFA_REQUIRED.name()).executeUpdate()) == 1;
    }

    private void revokeHash(String hash) {
        store.global(em -> em.createQuery("DELETE FROM AuthSession s WHERE s.tokenHash = :h").setParameter("h", hash)
                .executeUpdate());
    }

    /**
     * Ends every session of an account (password change, lock, deactivation, role change).
     *
     * @return sessions ended
     */
    int revokeAll(Space space, String userId) {
        if (space.platform()) {
            return store.global(em -> em.createQuery("DELETE FROM AuthSession s WHERE s.tenantId IS NULL AND s.userId = :u")
                    .setParameter("u", userId).executeUpdate());
        }
        return store.global(em -> em.createQuery("DELETE FROM AuthSession s WHERE s.tenantId = :t AND s.userId = :u")
                .setParameter("t", space.tenantId()).setParameter("u", userId).executeUpdate());
    }

    /** Deletes the account's sessions still waiting for their second factor. @return how many */
    int revokePending(Space space, String userId) {
        String tenantClause = space.platform() ? "s.tenantId IS NULL" : "s.tenantId = :t";
        return store.global(em -> {
            javax.persistence.Query q = em.createQuery("DELETE FROM AuthSession s WHERE " + tenantClause
                    + " AND s.userId = :u AND s.state = :s").setParameter("u", userId).setParameter("s", SessionState.MFA_REQUIRED.name());
            if (!space.platform()) {
                q.setParameter("t", space.tenantId());
            }
            return q.executeUpdate();
        });
    }

    /** Operators and support act as such; everyone else is a tenant's user. */
    static PrincipalKind kind(Space space, Set<String> roles) {
        if (!space.platform()) {
            return PrincipalKind.USER;
        }
        return roles.contains(dev.mamori.auth.Roles.OPERATOR) ? PrincipalKind.OPERATOR : PrincipalKind.SUPPORT;
    }

    /**
     * Deletes sessions idle past the idle timeout or older than the absolute lifetime.
     *
     * @return sessions deleted
     */
    int purgeExpired() {
        Instant now = clock.instant();
        Instant idleBefore = now.minus(policy.idle());
        Instant createdBefore = now.minus(policy.absolute());
        return store.global(em -> em.createQuery(
                "DELETE FROM AuthSession s WHERE s.lastSeenAt < :idle OR s.createdAt < :created")
                .setParameter("idle", idleBefore).setParameter("created", createdBefore).executeUpdate());
    }

    static Set<String> roles(String csv) {
        return csv == null || csv.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(csv.split(",")));
    }

    private static AuthException invalid() {
        return new AuthException(AuthErrors.SESSION_INVALID, "The session is unknown, expired or ended; sign in again.");
    }
}
