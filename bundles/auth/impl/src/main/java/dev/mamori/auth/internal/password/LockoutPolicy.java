package dev.mamori.auth.internal.password;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When consecutive failures lock an account (IAM-9): after {@code maxFailures} (configured as
 * {@code lockout.failures}, see AuthConfig: 5) a wrong password, a wrong or missing one-time code
 * all count, a success resets the count. A lock lasts until a tenant administrator lifts it or, if
 * configured, until {@code lockFor} has passed; platform accounts always lock for a bounded time
 * ({@code platform.lockout.minutes}). The count itself is kept in the account's row and changed in
 * single SQL statements, beside the checks in progress, so that parallel attempts on several nodes
 * neither lose a failure nor check more secrets than the limit (OPS-4; see {@code Attempts}).
 */
public final class LockoutPolicy {
    private final int maxFailures;
    private final Duration lockFor;

    /**
     * @param maxFailures consecutive failures that lock, 1..100
     * @param lockFor     how long a lock lasts, or null: until an administrator unlocks
     */
    public LockoutPolicy(int maxFailures, Duration lockFor) {
        if (maxFailures < 1 || maxFailures > 100) {
            throw new IllegalArgumentException("1..100 failures, not " + maxFailures);
        }
        if (lockFor != null && (lockFor.isNegative() || lockFor.isZero())) {
            throw new IllegalArgumentException("A lock lasts a positive time, or until unlocked");
        }
        this.maxFailures = maxFailures;
        this.lockFor = lockFor;
    }

    /** @return failures that lock */
    public int maxFailures() {
        return maxFailures;
    }

    /** @return how long a lock lasts, empty: until unlocked */
    public Optional<Duration> lockFor() {
        return Optional.ofNullable(lockFor);
    }

    /**
     * @param failuresAfter the count after this failure was added
     * @return whether this failure locks the account
     */
    public boolean locks(int failuresAfter) {
        return failuresAfter >= maxFailures;
    }

    /**
     * @param lockedAt when the account was locked, or null
     * @param now      now
     * @return whether it is locked now
     */
    public boolean locked(Instant lockedAt, Instant now) {
        return lockedAt != null && (lockFor == null || now.isBefore(lockedAt.plus(lockFor)));
    }
}
