package dev.mamori.audit;

import java.time.Instant;

import dev.mamori.platform.event.MamoriEvent;

/**
 * A search of one log (AUD-4): every criterion optional; results in index order from {@code after},
 * at most {@code limit} (1-1000).
 *
 * @param log     a tenant id, or {@link AuditService#PLATFORM_LOG}; null: the caller's own tenant's log
 * @param from    entries at or after this time
 * @param to      entries before this time
 * @param actorId entries by this actor (its opaque id)
 * @param action  entries whose action is this one, or starts with it when it ends in {@code .}
 *                ({@code auth.} for every authentication event)
 * @param outcome entries with this outcome
 * @param after   entries with an index above this one (-1: from the start); the next page's cursor
 * @param limit   most entries returned
 * @param reason  for an operator reading a tenant's log: why (a ticket or legal reference), recorded in that tenant's own log
 */
public record AuditQuery(String log, Instant from, Instant to, String actorId, String action, MamoriEvent.Outcome outcome, long after,
        int limit, String reason) {
    /** Most entries one page holds. */
    public static final int MAX_LIMIT = 1000;

    /** Checks. */
    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("A page holds 1-" + MAX_LIMIT + " entries.");
        }
        if (after < -1) {
            throw new IllegalArgumentException("The cursor is an index, or -1 for the start.");
        }
    }

    /** @param log a log @param limit page size @return every entry of the log, from the start */
    public static AuditQuery all(String log, int limit) {
        return new AuditQuery(log, null, null, null, null, null, -1, limit, null);
    }
}
