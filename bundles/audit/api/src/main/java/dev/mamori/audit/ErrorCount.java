package dev.mamori.audit;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Errors one logger reported since the server started (AUD-5), as the audit capability counts them (Pax Logging events at ERROR and FATAL).
 *
 * @param count   ERROR and FATAL events
 * @param last    when the last one came, in the platform's zone
 * @param message the last one's message: its first line, at most 200 characters,
 *                never a stack trace
 */
public record ErrorCount(long count, OffsetDateTime last, String message) {
    /** Checks. */
    public ErrorCount {
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(message, "message");
    }
}
