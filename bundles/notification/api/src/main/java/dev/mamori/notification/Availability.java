package dev.mamori.notification;

import java.math.BigDecimal;

/**
 * A month's availability (OPS-5), for the platform or one tenant, in the configured zone's calendar
 * month. Minutes are counted from the first probe the server ever recorded (or the month's start) to
 * the month's end (or now).
 *
 * @param month       {@code yyyy-MM}
 * @param tenantId    the tenant, or null for the platform
 * @param measured    minutes measured
 * @param maintenance of those, minutes in announced maintenance windows (left out)
 * @param down        of the rest, minutes without a ready probe (and, for a tenant, in an incident's outage that affected it)
 * @param percent     (measured − maintenance − down) / (measured − maintenance) × 100, rounded down to 3 places; null when nothing was measured
 * @param target      the target, percent
 * @param below       whether it is below the target
 * @param complete    whether the month has ended
 */
public record Availability(String month, String tenantId, long measured, long maintenance, long down, BigDecimal percent,
        BigDecimal target, boolean below, boolean complete) {
}
