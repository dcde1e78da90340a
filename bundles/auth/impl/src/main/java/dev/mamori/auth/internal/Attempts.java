package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.internal.net.IpRanges;
import dev.mamori.auth.internal.net.Throttle;
import dev.mamori.auth.internal.password.LockoutPolicy;
import dev.mamori.auth.internal.store.AccountEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Counting failures: per account in the database, so any node sees them (IAM-9, OPS-4), and per
 * client address in this node's memory, against password spraying across accounts (SEC-12). Every
 * failure is published with its reason; the caller only ever hears "sign-in failed".
 */
@Component(service = Attempts.class, configurationPid = AuthConfig.PID)
public class Attempts {
    private final AuthStore store;
    private final Sessions sessions;
    private final EventPublisher events;
    private final Clock clock;
    private volatile LockoutPolicy lockout;
    private volatile Throttle perAddress;

    /**
     * @param store    persistence
     * @param sessions ended when an account locks
     * @param events   where failures go
     * @param clock    the platform clock
     * @param config   limits
     */
    @Activate
    public Attempts(@Reference AuthStore store, @Reference Sessions sessions, @Reference EventPublisher events,
            @Reference Clock clock, AuthConfig config) {
        this.store = store;
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
        modified(config);
    }

    @Modified
    final void modified(AuthConfig config) {
        this.lockout = new LockoutPolicy(config.lockout_failures(),
                config.lockout_minutes() == 0 ? null : Duration.ofMinutes(config.lockout_minutes()));
        this.perAddress = new Throttle(config.throttle_failures(), Duration.ofSeconds(config.throttle_period_seconds()), 100_000,
                clock);
    }

    /** Refuses the attempt with 429 while the client address has spent its failures (SEC-12). */
    void checkAddress() {
        Optional<Duration> wait = perAddress.check(address());
        if (wait.isPresent()) {
            events.publish(MamoriEvent.builder(AuthEvents.THROTTLED).outcome(MamoriEvent.Outcome.DENIED));
            Duration retry = Duration.ofSeconds(Math.max(1, wait.get().toSeconds() + 1));
            throw new AuthException(AuthErrors.TOO_MANY_ATTEMPTS, "Too many failed attempts from this address; try again in "
                    + retry.toSeconds() + " s.", retry);
        }
    }

    /**
     * Records a failure and returns the one answer every failure gets.
     *
     * @param space   where the account lives (its tenant, if known, goes into the event)
     * @param account the account, if one was found (its counter goes up when {@code counts})
     * @param step    password, mfa, recovery, reset, ...
     * @param reason  why, for the audit trail only
     * @param counts  whether the failure counts towards the account's lock
     * @return the exception to throw
     */
    AuthException fail(Space space, AccountEntity account, String step, String reason, boolean counts) {
        perAddress.take(address());
        MamoriEvent.Builder ev = MamoriEvent.builder(AuthEvents.SIGN_IN_FAILED).outcome(MamoriEvent.Outcome.FAILURE)
                .detail("step", step).detail("reason", reason);
        if (space != null && space.tenantId() != null) {
            ev.tenant(space.tenantId());
        }
        if (space != null && space.platform()) {
            ev.detail("account", "platform");
        }
        if (account != null) {
            ev.target(space.platform() ? "platform-account" : "user", account.id);
        }
        events.publish(ev);
        if (account != null && counts) {
            countFailure(space, account.id, 1);
        }
        return new AuthException(AuthErrors.INVALID_CREDENTIALS, "Sign-in failed.");
    }

    /**
     * Raises the account's counter in one statement (parallel failures on several nodes all count)
     * and locks it when the limit is reached.
     *
     * @return whether the account is locked now
     */
    boolean countFailure(Space space, String accountId, int failures) {
        Instant now = clock.instant();
        int count = space.tx(store, em -> {
            clearExpiredLock(em, space, accountId, lockout, now);
            em.createQuery("UPDATE " + space.entity() + " u SET u.failedCount = u.failedCount + :n WHERE u.id = :id")
                    .setParameter("n", failures).setParameter("id", accountId).executeUpdate();
            return em.createQuery("SELECT u.failedCount FROM " + space.entity() + " u WHERE u.id = :id", Integer.class)
                    .setParameter("id", accountId).getSingleResult();
        });
        if (!lockout.locks(count)) {
            return false;
        }
        int locked = space.tx(store, em -> em.createQuery(
                "UPDATE " + space.entity() + " u SET u.lockedAt = :now WHERE u.id = :id AND u.lockedAt IS NULL")
                .setParameter("now", now).setParameter("id", accountId).executeUpdate());
        if (locked == 1) {
            sessions.revokeAll(space, accountId);
            MamoriEvent.Builder ev = MamoriEvent.builder(AuthEvents.LOCKED).target(space.platform() ? "platform-account" : "user", accountId)
                    .detail("failures", count);
            if (!space.platform()) {
                ev.tenant(space.tenantId());
            }
            events.publish(ev);
        }
        return true;
    }

    /**
     * Reserves one failure before a secret is checked, in one statement: refused once the count
     * has reached the limit or a lock is set. So parallel guesses are bounded by the limit, however
     * many arrive at once; the check's outcome then keeps or takes back the reservation.
     *
     * @return whether the secret may be checked
     */
    boolean reserve(Space space, String accountId) {
        Instant now = clock.instant();
        LockoutPolicy policy = lockout;
        return space.tx(store, em -> {
            clearExpiredLock(em, space, accountId, policy, now);
            return em.createQuery("UPDATE " + space.entity() + " u SET u.failedCount = u.failedCount + 1 WHERE u.id = :id "
                    + "AND u.lockedAt IS NULL AND u.failedCount < :max").setParameter("id", accountId)
                    .setParameter("max", policy.maxFailures()).executeUpdate() == 1;
        });
    }

    /** A lock whose time is up starts a new count, so the next failures lock again. */
    private static void clearExpiredLock(javax.persistence.EntityManager em, Space space, String accountId, LockoutPolicy policy,
            Instant now) {
        if (policy.lockFor().isPresent()) {
            em.createQuery("UPDATE " + space.entity() + " u SET u.failedCount = 0, u.lockedAt = NULL WHERE u.id = :id "
                    + "AND u.lockedAt IS NOT NULL AND u.lockedAt <= :before")
                    .setParameter("id", accountId).setParameter("before", now.minus(policy.lockFor().get())).executeUpdate();
        }
    }

    /** The reserved check failed: the reservation is the failure; at the limit the account locks. */
    void reservedFailed(Space space, String accountId) {
        countFailure(space, accountId, 0);
    }

    /**
     * The reserved check passed.
     *
     * @param complete whether sign-in is complete (the count starts again) or a second step is
     *                 still due (only the reservation is taken back)
     * @return false if a lock landed meanwhile: the success does not count
     */
    boolean reservedSucceeded(Space space, String accountId, boolean complete) {
        String set = complete ? "u.failedCount = 0" : "u.failedCount = u.failedCount - 1";
        return space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET " + set
                + " WHERE u.id = :id AND u.lockedAt IS NULL AND u.failedCount > 0").setParameter("id", accountId).executeUpdate()) == 1;
    }

    /** A full success: the counter starts again, an expired lock is cleared. */
    void succeeded(Space space, String accountId) {
        space.tx(store, em -> em.createQuery("UPDATE " + space.entity()
                + " u SET u.failedCount = 0, u.lockedAt = NULL WHERE u.id = :id AND (u.failedCount <> 0 OR u.lockedAt IS NOT NULL)")
                .setParameter("id", accountId).executeUpdate());
    }

    /** @return the lockout rules */
    LockoutPolicy lockout() {
        return lockout;
    }

    /** @return whether the account is locked now */
    boolean locked(AccountEntity u) {
        return lockout.locked(u.lockedAt, clock.instant());
    }

    private static String address() {
        return IpRanges.throttleKey(ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null));
    }
}
