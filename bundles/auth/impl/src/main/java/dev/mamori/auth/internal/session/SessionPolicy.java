package dev.mamori.auth.internal.session;

import java.time.Duration;
import java.time.Instant;

/**
 * When a session ends (IAM-13, SEC-4): after {@code idle} without a request, and {@code absolute}
 * after sign-in whatever happens. The last-seen time is written at most once per
 * {@code touchEvery}, so a busy session does not write on every request; the idle timeout is then
 * exact to that much. The lifetimes come from the configuration only ({@code session.idle.minutes},
 * {@code session.absolute.hours}: 30 minutes and 12 hours, see AuthConfig).
 */
public final class SessionPolicy {
    private final Duration idle;
    private final Duration absolute;
    private final Duration touchEvery;

    /**
     * @param idle     idle timeout, 1 minute .. absolute
     * @param absolute absolute lifetime, at most 7 days
     */
    public SessionPolicy(Duration idle, Duration absolute) {
        if (idle.compareTo(Duration.ofMinutes(1)) < 0 || idle.compareTo(absolute) > 0
                || absolute.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("1 minute <= idle timeout <= absolute lifetime <= 7 days is needed, not "
                    + idle + " / " + absolute);
        }
        this.idle = idle;
        this.absolute = absolute;
        this.touchEvery = idle.dividedBy(30).compareTo(Duration.ofMinutes(1)) < 0 ? idle.dividedBy(30) : Duration.ofMinutes(1);
    }

    /** @return the idle timeout */
    public Duration idle() {
        return idle;
    }

    /** @return the absolute lifetime */
    public Duration absolute() {
        return absolute;
    }

    /**
     * @param createdAt  sign-in time
     * @param lastSeenAt last recorded request
     * @param now        now
     * @return whether the session is still valid
     */
    public boolean valid(Instant createdAt, Instant lastSeenAt, Instant now) {
        return now.isBefore(createdAt.plus(absolute)) && now.isBefore(lastSeenAt.plus(idle)) && !now.isBefore(createdAt);
    }

    /**
     * @param lastSeenAt last recorded request
     * @param now        now
     * @return whether to record this request as the new last-seen time
     */
    public boolean touchDue(Instant lastSeenAt, Instant now) {
        return !now.isBefore(lastSeenAt.plus(touchEvery));
    }

    /**
     * @param createdAt  sign-in time
     * @param lastSeenAt last recorded request
     * @return when the session ends if no further request comes
     */
    public Instant expiresAt(Instant createdAt, Instant lastSeenAt) {
        Instant byIdle = lastSeenAt.plus(idle);
        Instant byAbsolute = createdAt.plus(absolute);
        return byIdle.isBefore(byAbsolute) ? byIdle : byAbsolute;
    }
}
