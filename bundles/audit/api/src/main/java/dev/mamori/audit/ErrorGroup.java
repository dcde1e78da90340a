package dev.mamori.audit;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Errors of one logger with one message shape (AUD-5): the message's first line with its ids and
 * numbers as {@code #} (UUIDs as {@code <id>}), so that "Delivery 12 failed" and "Delivery 13
 * failed" are one group and a storm of one error is one line with its count.
 *
 * @param logger  the logger's name
 * @param shape   the message's shape
 * @param count   ERROR and FATAL events in the group since the server started
 * @param last    when the last one came, in the platform's zone
 * @param message the last one's first line, at most 200 characters, never a stack trace
 */
public record ErrorGroup(String logger, String shape, long count, OffsetDateTime last, String message) {
    /** Checks. */
    public ErrorGroup {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(message, "message");
    }
}
