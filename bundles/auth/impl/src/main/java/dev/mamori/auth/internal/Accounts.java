package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.auth.internal.store.ResetTokenEntity;
import dev.mamori.auth.internal.store.UserEntity;

/** Account rows of the bound tenant: lookups for sign-in, passwords, reset tokens. */
@Component(service = Accounts.class)
public class Accounts {
    private final AuthStore store;
    private final Profiles profiles;
    private final Passwords passwords;
    private final Clock clock;

    /**
     * @param store     persistence
     * @param profiles  personal data and the e-mail index
     * @param passwords rules and hashing
     * @param clock     the platform clock
     */
    @Activate
    public Accounts(@Reference AuthStore store, @Reference Profiles profiles, @Reference Passwords passwords,
            @Reference Clock clock) {
        this.store = store;
        this.profiles = profiles;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** @return the account with this login name or e-mail address in the bound tenant */
    Optional<UserEntity> byLogin(String tenantId, String login) {
        if (login.indexOf('@') >= 0) {
            String index;
            try {
                index = profiles.emailIndex(tenantId, Profiles.normaliseEmail(login));
            } catch (AuthException malformed) {
                return Optional.empty();
            }
            return store.tenant(em -> em.createQuery("SELECT u FROM AuthUser u WHERE u.emailIndex = :i", UserEntity.class)
                    .setParameter("i", index).getResultList().stream().findFirst());
        }
        String name = login.strip().toLowerCase(Locale.ROOT);
        return store.tenant(em -> em.createQuery("SELECT u FROM AuthUser u WHERE u.loginName = :n", UserEntity.class)
                .setParameter("n", name).getResultList().stream().findFirst());
    }

    /** @return the account with this id in the bound tenant */
    Optional<UserEntity> byId(String userId) {
        if (userId == null || userId.length() > 36) {
            return Optional.empty();
        }
        return store.tenant(em -> Optional.ofNullable(em.find(UserEntity.class, userId)));
    }

    /**
     * Checks the new password against the rules of the account's roles (IAM-6) and stores its hash.
     *
     * @throws dev.mamori.auth.PasswordRejectedException listing every broken rule
     */
    void setPassword(UserEntity u, char[] next, Set<String> roles) {
        String email = profiles.load(store.tenants().requireTenantId(), u.id).map(Profile::email).orElse(null);
        passwords.check(roles, next, u.loginName, email);
        String hash = passwords.hash(next);
        Instant now = clock.instant();
        store.tenant(em -> em.createQuery("UPDATE AuthUser u SET u.passwordHash = :h, u.passwordChangedAt = :now, "
                + "u.updatedAt = :now WHERE u.id = :id").setParameter("h", hash).setParameter("now", now)
                .setParameter("id", u.id).executeUpdate());
    }

    /**
     * Issues a single-use reset token for the account, replacing earlier ones (IAM-14).
     *
     * @return the token; only its hash is stored
     */
    String issueResetToken(String userId, Duration ttl) {
        String token = Secrets.newToken();
        Instant now = clock.instant();
        store.tenant(em -> {
            em.createQuery("DELETE FROM AuthResetToken t WHERE t.userId = :u").setParameter("u", userId).executeUpdate();
            ResetTokenEntity t = new ResetTokenEntity();
            t.tokenHash = Secrets.hash(token);
            t.userId = userId;
            t.expiresAt = now.plus(ttl);
            em.persist(t);
            return null;
        });
        return token;
    }

    /**
     * Uses up a reset token: deleted by the first request that presents it, valid only if unexpired
     * and its account is active.
     *
     * @return the account
     */
    Optional<UserEntity> takeResetToken(String hash, Instant now) {
        return store.tenant(em -> {
            ResetTokenEntity t = em.find(ResetTokenEntity.class, hash);
            if (t == null) {
                return Optional.<UserEntity>empty();
            }
            int deleted = em.createQuery("DELETE FROM AuthResetToken t WHERE t.tokenHash = :h").setParameter("h", hash)
                    .executeUpdate();
            if (deleted != 1 || !now.isBefore(t.expiresAt)) {
                return Optional.<UserEntity>empty();
            }
            UserEntity u = em.find(UserEntity.class, t.userId);
            return Optional.ofNullable(u).filter(x -> "ACTIVE".equals(x.state));
        });
    }
}
