package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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
import dev.mamori.auth.internal.store.PlatformAccountEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Counting failures: per account in the database, so any node sees them (IAM-9, OPS-4), and per
 * client address in this node's memory, against password spraying across accounts (SEC-12). Every
 * failure is published with its reason; the caller only ever hears "sign-in failed".
 *
 * <p>Both limits are reserved before a secret is checked and settled after it, so parallel
 * requests cannot check more secrets than the limits allow. Per account row the invariant is:
 * {@code failed_count} = consecutive failed checks since the last complete sign-in (or unlock),
 * {@code pending_count} = checks in progress, each holding one reservation that it gives back
 * exactly once (as a failure: {@code failed_count + 1}; or as a success). A reservation is taken
 * only while no lock is set and {@code failed_count + pending_count < limit}, so failures plus
 * checks in progress never exceed the limit, on however many nodes; a success ends the count of
 * failures but only ever removes its own reservation, never another check's. While the limit is
 * held by checks in progress rather than by failures, a new check waits for its turn. Reservations
 * of a node that died mid-check lapse after {@link #RESERVATION_LEASE} (no answer left that node,
 * so nobody learnt anything from those checks).
 */
@Component(service = Attempts.class, configurationPid = AuthConfig.PID)
public class Attempts {
    /** Longer than any check of a secret can take (bcrypt at cost 16 takes seconds). */
    static final Duration RESERVATION_LEASE = Duration.ofMinutes(2);
    /** An id no account has: failure paths without an account run the same statements on it (IAM-9). */
    static final String NO_ACCOUNT = "00000000-0000-0000-0000-000000000000";
    /** Longest wait for a turn while the limit is held by checks in progress (each a bcrypt check, ~0.1 s). */
    private static final long WAIT_MILLIS = 50;

    private final AuthStore store;
    private final Sessions sessions;
    private final EventPublisher events;
    private final Clock clock;
    private final ThreadLocal<AddressToken> addressToken = new ThreadLocal<>();
    /** Notified when a reservation settles on this node (a check waiting for its turn looks again). */
    private final Object settlement = new Object();
    /** How many times a check waits for its turn, at most {@link #WAIT_MILLIS} each (5 s in all; tests shorten it). */
    volatile int maxWaits = 100;
    private volatile LockoutPolicy lockout;
    private volatile LockoutPolicy platformLockout;
    private volatile Throttle perAddress;

    /** One of an address's failures, reserved for the request running on this thread; spent by a failure. */
    private static final class AddressToken {
        boolean spent;
    }

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
        this.platformLockout = platformPolicy(config);
        this.perAddress = new Throttle(config.throttle_failures(), Duration.ofSeconds(config.throttle_period_seconds()), 100_000,
                clock);
    }

    /**
     * Platform accounts lock for a bounded time only: the operator account {@code admin} is
     * well known, and a lock until unlocked would let anyone who reaches the sign-in shut the
     * operators out for good. Recovery within the period: the installation's SSH key.
     */
    static LockoutPolicy platformPolicy(AuthConfig config) {
        int minutes = Math.max(1, Math.min(1440, config.platform_lockout_minutes()));
        return new LockoutPolicy(config.lockout_failures(), Duration.ofMinutes(minutes));
    }

    /**
     * Runs a step that checks a secret with one of the client address's failures reserved first
     * (SEC-12): 429 when there is none left. A failure recorded by {@link #fail} keeps it; a step
     * that ends otherwise (success, or an answer that checked no secret) gives it back. An
     * unexpected error keeps it too (fail closed).
     */
    <T> T withAddressBudget(Supplier<T> step) {
        String key = address();
        Optional<Duration> wait = perAddress.take(key);
        if (wait.isPresent()) {
            events.publish(MamoriEvent.builder(AuthEvents.THROTTLED).outcome(MamoriEvent.Outcome.DENIED));
            Duration retry = Duration.ofSeconds(Math.max(1, wait.get().toSeconds() + 1));
            throw new AuthException(AuthErrors.TOO_MANY_ATTEMPTS, "Too many failed attempts from this address; try again in "
                    + retry.toSeconds() + " s.", retry);
        }
        AddressToken outer = addressToken.get();
        AddressToken token = new AddressToken();
        addressToken.set(token);
        boolean giveBack = false;
        try {
            T result = step.get();
            giveBack = !token.spent;
            return result;
        } catch (MamoriException answer) {
            giveBack = !token.spent;
            throw answer;
        } finally {
            if (outer == null) {
                addressToken.remove();
            } else {
                addressToken.set(outer);
            }
            if (giveBack) {
                perAddress.give(key);
            }
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
        AddressToken token = addressToken.get();
        if (token != null) {
            token.spent = true;
        } else {
            perAddress.take(address());
        }
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
     * Adds failures that held no reservation (password steps whose code never came) in one
     * statement, and locks the account when the limit is reached.
     *
     * @return whether the account is locked now
     */
    boolean countFailure(Space space, String accountId, int failures) {
        return settleFailure(space, accountId, failures, false);
    }

    /**
     * Reserves one check of a secret (see the class comment). While the limit is taken up by
     * checks still in progress (not by failures), it waits for one of them to settle: so parallel
     * sign-ins with the right password all get their turn, and parallel guesses still stop at the
     * limit. With a null account the same statements run on no row, so that failures without an
     * account cost the database what a wrong password costs (IAM-9: no enumeration by timing).
     *
     * @return whether the secret may be checked (never for a null account)
     */
    boolean reserve(Space space, String accountId) {
        for (int wait = 0;; wait++) {
            Reservation r = tryReserve(space, accountId);
            if (r != Reservation.BUSY || wait >= maxWaits || !awaitSettlement()) {
                return r == Reservation.TAKEN && accountId != null;
            }
        }
    }

    private enum Reservation {
        TAKEN, BUSY, REFUSED
    }

    private Reservation tryReserve(Space space, String accountId) {
        Instant now = clock.instant();
        LockoutPolicy policy = lockout(space);
        String id = accountId == null ? NO_ACCOUNT : accountId;
        return space.txNow(store, em -> {
            clearExpiredLock(em, space, id, policy, now);
            em.createQuery("UPDATE " + space.entity() + " u SET u.pendingCount = 0 WHERE u.id = :id AND u.pendingCount > 0 "
                    + "AND u.pendingAt < :lapsed").setParameter("id", id).setParameter("lapsed", now.minus(RESERVATION_LEASE))
                    .executeUpdate();
            int taken = em.createQuery("UPDATE " + space.entity() + " u SET u.pendingCount = u.pendingCount + 1, u.pendingAt = :now "
                    + "WHERE u.id = :id AND u.lockedAt IS NULL AND u.failedCount + u.pendingCount < :max").setParameter("now", now)
                    .setParameter("id", id).setParameter("max", policy.maxFailures()).executeUpdate();
            // read whatever happened, so that every path runs the same statements
            List<Object[]> row = em.createQuery("SELECT u.failedCount, u.pendingCount, u.lockedAt FROM " + space.entity()
                    + " u WHERE u.id = :id", Object[].class).setParameter("id", id).getResultList();
            if (taken == 1) {
                return Reservation.TAKEN;
            }
            boolean busy = !row.isEmpty() && row.get(0)[2] == null && ((Number) row.get(0)[0]).intValue() < policy.maxFailures()
                    && ((Number) row.get(0)[1]).intValue() > 0;
            return busy ? Reservation.BUSY : Reservation.REFUSED;
        });
    }

    /** @return false if interrupted; woken early when a check settles on this node, else polls (another node's) */
    private boolean awaitSettlement() {
        synchronized (settlement) {
            try {
                settlement.wait(WAIT_MILLIS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void settled() {
        synchronized (settlement) {
            settlement.notifyAll();
        }
    }

    /**
     * The reserved check failed: its reservation becomes a failure, and at the limit the account
     * locks (every session ends). With a null account the same statements run on no row.
     */
    void reservedFailed(Space space, String accountId) {
        settleFailure(space, accountId, 1, true);
    }

    private boolean settleFailure(Space space, String accountId, int failures, boolean reserved) {
        Instant now = clock.instant();
        LockoutPolicy policy = lockout(space);
        String id = accountId == null ? NO_ACCOUNT : accountId;
        String release = reserved ? ", u.pendingCount = CASE WHEN u.pendingCount > 0 THEN u.pendingCount - 1 ELSE 0 END" : "";
        // the same statements whatever happens (and on no row without an account): no path costs more than another
        Object[] after = space.txNow(store, em -> {
            if (!reserved) {
                clearExpiredLock(em, space, id, policy, now);
            }
            em.createQuery("UPDATE " + space.entity() + " u SET u.failedCount = u.failedCount + :n" + release + " WHERE u.id = :id")
                    .setParameter("n", failures).setParameter("id", id).executeUpdate();
            int lockedNow = em.createQuery("UPDATE " + space.entity() + " u SET u.lockedAt = :now WHERE u.id = :id "
                    + "AND u.lockedAt IS NULL AND u.failedCount >= :max").setParameter("now", now).setParameter("id", id)
                    .setParameter("max", policy.maxFailures()).executeUpdate();
            List<Object[]> row = em.createQuery("SELECT u.failedCount, u.lockedAt FROM " + space.entity() + " u WHERE u.id = :id",
                    Object[].class).setParameter("id", id).getResultList();
            return row.isEmpty() ? null : new Object[] {lockedNow == 1, row.get(0)[0], row.get(0)[1]};
        });
        settled();
        if (after == null || accountId == null) {
            return false;
        }
        if ((Boolean) after[0]) {
            // this failure set the lock: every session of the account ends, once
            sessions.revokeAll(space, accountId);
            MamoriEvent.Builder ev = MamoriEvent.builder(AuthEvents.LOCKED).target(space.platform() ? "platform-account" : "user", accountId)
                    .detail("failures", after[1]);
            if (!space.platform()) {
                ev.tenant(space.tenantId());
            }
            events.publish(ev);
        }
        return policy.locked((Instant) after[2], now);
    }

    /**
     * A lock whose time is up starts a new count, so the next failures lock again. Run for
     * permanent locks too (matching none), so that both spaces' sign-ins run the same statements.
     */
    private static void clearExpiredLock(javax.persistence.EntityManager em, Space space, String accountId, LockoutPolicy policy,
            Instant now) {
        // a lock lasting until unlocked: a moment before any lock was set
        Instant before = policy.lockFor().map(now::minus).orElse(Instant.EPOCH);
        em.createQuery("UPDATE " + space.entity() + " u SET u.failedCount = 0, u.lockedAt = NULL WHERE u.id = :id "
                + "AND u.lockedAt IS NOT NULL AND u.lockedAt <= :before")
                .setParameter("id", accountId).setParameter("before", before).executeUpdate();
    }

    /**
     * The reserved check passed: its reservation is given back, and only its own.
     *
     * @param complete whether sign-in is complete (the count of failures starts again) or a second
     *                 step is still due, or the check was no sign-in (the count stays)
     * @return false if a lock landed meanwhile: the success does not count
     */
    boolean reservedSucceeded(Space space, String accountId, boolean complete) {
        String release = "u.pendingCount = CASE WHEN u.pendingCount > 0 THEN u.pendingCount - 1 ELSE 0 END";
        String set = release + (complete ? ", u.failedCount = 0" : "");
        boolean unlocked = space.txNow(store, em -> {
            if (em.createQuery("UPDATE " + space.entity() + " u SET " + set + " WHERE u.id = :id AND u.lockedAt IS NULL")
                    .setParameter("id", accountId).executeUpdate() == 1) {
                return true;
            }
            // locked meanwhile: the reservation goes back all the same, the count stays
            em.createQuery("UPDATE " + space.entity() + " u SET " + release + " WHERE u.id = :id").setParameter("id", accountId)
                    .executeUpdate();
            return false;
        });
        settled();
        return unlocked;
    }

    /** A full success: the counter starts again, an expired lock is cleared. */
    void succeeded(Space space, String accountId) {
        space.txNow(store, em -> em.createQuery("UPDATE " + space.entity()
                + " u SET u.failedCount = 0, u.lockedAt = NULL WHERE u.id = :id AND (u.failedCount <> 0 OR u.lockedAt IS NOT NULL)")
                .setParameter("id", accountId).executeUpdate());
    }

    /** @return the lockout rules of the space's accounts */
    LockoutPolicy lockout(Space space) {
        return space.platform() ? platformLockout : lockout;
    }

    /** @return whether the account is locked now */
    boolean locked(AccountEntity u) {
        return (u instanceof PlatformAccountEntity ? platformLockout : lockout).locked(u.lockedAt, clock.instant());
    }

    private static String address() {
        return IpRanges.throttleKey(ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null));
    }
}
