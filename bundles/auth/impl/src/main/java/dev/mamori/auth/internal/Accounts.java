package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.internal.session.Secrets;
import dev.mamori.auth.internal.store.AccountEntity;
import dev.mamori.auth.internal.store.UserEntity;

/**
 * Account rows of a {@link Space}: lookups for sign-in, passwords, reset tokens and recovery codes
 * (IAM-14: only their SHA-256 hashes are stored, each is used up by the one request that clears it).
 */
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

    /** @return the account with this login name (or, for tenant users, e-mail address) */
    Optional<? extends AccountEntity> byLogin(Space space, String login) {
        if (!space.platform() && login.indexOf('@') >= 0) {
            String index;
            try {
                index = profiles.emailIndex(space.tenantId(), Profiles.normaliseEmail(login));
            } catch (AuthException malformed) {
                return Optional.empty();
            }
            return store.tenant(em -> em.createQuery("SELECT u FROM AuthUser u WHERE u.emailIndex = :i", UserEntity.class)
                    .setParameter("i", index).getResultList().stream().findFirst());
        }
        String name = login.strip().toLowerCase(Locale.ROOT);
        return space.tx(store, em -> em.createQuery("SELECT u FROM " + space.entity() + " u WHERE u.loginName = :n", space.type())
                .setParameter("n", name).getResultList().stream().findFirst());
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-f-]{36}");

    /** @return the account with this id */
    Optional<? extends AccountEntity> byId(Space space, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return space.tx(store, em -> Optional.ofNullable(em.find(space.type(), id)));
    }

    /** @return the tenant user with this id in the bound tenant */
    Optional<UserEntity> byId(String userId) {
        if (userId == null || !ID.matcher(userId).matches()) {
            return Optional.empty();
        }
        return store.tenant(em -> Optional.ofNullable(em.find(UserEntity.class, userId)));
    }

    /**
     * Checks the new password against the rules of the account's roles (IAM-6) and stores its hash.
     *
     * @throws dev.mamori.auth.PasswordRejectedException listing every broken rule
     */
    void setPassword(Space space, AccountEntity u, char[] next) {
        storePassword(space, u, next, "");
    }

    /**
     * As {@link #setPassword}, but only while no lock is set (a lock, even one whose time is up,
     * is cleared by the next sign-in first).
     *
     * @return whether the password was set
     */
    boolean setPasswordUnlessLocked(Space space, AccountEntity u, char[] next) {
        return storePassword(space, u, next, " AND u.lockedAt IS NULL");
    }

    private boolean storePassword(Space space, AccountEntity u, char[] next, String condition) {
        checkPassword(space, u, next);
        String hash = passwords.hash(next);
        Instant now = clock.instant();
        return space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.passwordHash = :h, u.passwordChangedAt = :now, "
                + "u.updatedAt = :now WHERE u.id = :id" + condition).setParameter("h", hash).setParameter("now", now)
                .setParameter("id", u.id).executeUpdate()) == 1;
    }

    /**
     * @throws dev.mamori.auth.PasswordRejectedException if the password breaks the rules of the
     *         account's roles (IAM-6)
     */
    void checkPassword(Space space, AccountEntity u, char[] next) {
        String email = space.platform() ? null : profiles.load(space.tenantId(), u.id).map(Profile::email).orElse(null);
        passwords.check(Sessions.roles(u.roles), next, u.loginName, email);
    }

    /** @return the account a reset token is valid for, without using the token up */
    Optional<AccountEntity> resetTokenAccount(Space space, String hash, Instant now) {
        return space.tx(store, em -> em.createQuery("SELECT u FROM " + space.entity() + " u WHERE u.resetHash = :h", space.type())
                .setParameter("h", hash).getResultList().stream().findFirst()
                .filter(u -> u.resetExpiresAt != null && now.isBefore(u.resetExpiresAt) && "ACTIVE".equals(u.state))
                .map(u -> (AccountEntity) u));
    }

    /**
     * Issues a single-use reset token for the account, replacing an earlier one (IAM-14); the current
     * password stops working.
     *
     * @return the token; only its hash is stored
     */
    String issueResetToken(Space space, String id, Duration ttl) {
        String token = Secrets.newToken();
        Instant now = clock.instant();
        space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.resetHash = :h, u.resetExpiresAt = :e, "
                + "u.passwordHash = NULL, u.updatedAt = :now WHERE u.id = :id").setParameter("h", Secrets.hash(token))
                .setParameter("e", now.plus(ttl)).setParameter("now", now).setParameter("id", id).executeUpdate());
        return token;
    }

    /**
     * Uses up a reset token: cleared by the first request that presents it, valid only if unexpired
     * and its account is active.
     *
     * @return the account
     */
    Optional<AccountEntity> takeResetToken(Space space, String hash, Instant now) {
        return space.tx(store, em -> {
            List<? extends AccountEntity> found = em.createQuery("SELECT u FROM " + space.entity() + " u WHERE u.resetHash = :h",
                    space.type()).setParameter("h", hash).getResultList();
            if (found.isEmpty()) {
                return Optional.<AccountEntity>empty();
            }
            AccountEntity u = found.get(0);
            int cleared = em.createQuery("UPDATE " + space.entity() + " u SET u.resetHash = NULL, u.resetExpiresAt = NULL "
                    + "WHERE u.id = :id AND u.resetHash = :h").setParameter("id", u.id).setParameter("h", hash).executeUpdate();
            if (cleared != 1 || u.resetExpiresAt == null || !now.isBefore(u.resetExpiresAt) || !"ACTIVE".equals(u.state)) {
                return Optional.<AccountEntity>empty();
            }
            return Optional.of(u);
        });
    }

    /** Replaces the account's recovery codes with ten new ones. @return the codes, shown once */
    List<String> newRecoveryCodes(Space space, String id) {
        List<String> codes = Secrets.newRecoveryCodes();
        List<String> hashes = new ArrayList<>();
        for (String c : codes) {
            hashes.add(recoveryHash(space, id, Secrets.normaliseRecoveryCode(c)));
        }
        space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.recoveryCodes = :c WHERE u.id = :id")
                .setParameter("c", String.join(" ", hashes)).setParameter("id", id).executeUpdate());
        return codes;
    }

    /** @return whether the code was one of the account's unused codes; it is used up now */
    boolean useRecoveryCode(Space space, String id, String code) {
        String normalised = Secrets.normaliseRecoveryCode(code);
        if (normalised == null) {
            return false;
        }
        String hash = recoveryHash(space, id, normalised);
        for (int attempt = 0; attempt < 5; attempt++) {
            AccountEntity u = byId(space, id).orElse(null);
            if (u == null || u.recoveryCodes == null) {
                return false;
            }
            List<String> left = new ArrayList<>(Arrays.asList(u.recoveryCodes.split(" ")));
            if (!left.remove(hash)) {
                return false;
            }
            String before = u.recoveryCodes;
            // only the request that replaces exactly the list it read wins: a code works once
            int n = space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.recoveryCodes = :after "
                    + "WHERE u.id = :id AND u.recoveryCodes = :before").setParameter("after", left.isEmpty() ? null : String.join(" ", left))
                    .setParameter("id", id).setParameter("before", before).executeUpdate());
            if (n == 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * A recovery code's stored form: SHA-256 over the account and the code, so one precomputed
     * table does not serve every account of a stolen database (IAM-14).
     */
    static String recoveryHash(Space space, String accountId, String normalisedCode) {
        return Secrets.hash("mamori-recovery\0" + space.keyOwner() + "\0" + accountId + "\0" + normalisedCode);
    }

    /** Removes the second factor and the recovery codes. */
    void clearMfa(Space space, String id) {
        space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.mfaSecret = NULL, u.mfaPending = NULL, "
                + "u.mfaLastStep = 0, u.recoveryCodes = NULL WHERE u.id = :id").setParameter("id", id).executeUpdate());
    }

    static Set<String> roles(AccountEntity u) {
        return Sessions.roles(u.roles);
    }
}
