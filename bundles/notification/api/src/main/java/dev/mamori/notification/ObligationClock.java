package dev.mamori.notification;

import java.time.Duration;
import java.time.Instant;

/**
 * One deadline an incident sets, as of the moment it was read.
 *
 * @param name     {@code notice} (every affected tenant told by e-mail within 72 hours of discovery,
 *                 NTF-1), {@code progress} (an update every 24 hours while the response runs,
 *                 NTF-3), {@code appi-preliminary} and {@code appi-final} (the dates Japan's APPI
 *                 expects the tenants' own reports to the regulator: about 3-5 days, and 30 days or 60
 *                 for an unlawful act; shown, the tenants report)
 * @param dueAt    the deadline
 * @param metAt    when it was met, or null
 * @param state    where it stands now
 * @param timeLeft until the deadline (negative when overdue); zero once met or stopped
 * @param pending  for {@code notice}: tenants not told yet; else 0
 */
public record ObligationClock(String name, Instant dueAt, Instant metAt, State state, Duration timeLeft, int pending) {
    /** Clock names. */
    public static final String NOTICE = "notice";
    /** The progress update clock. */
    public static final String PROGRESS = "progress";
    /** APPI preliminary report (about 3-5 days). */
    public static final String APPI_PRELIMINARY = "appi-preliminary";
    /** APPI final report (30 days, 60 for an unlawful act). */
    public static final String APPI_FINAL = "appi-final";

    /** Where a clock stands. */
    public enum State {
        /** Running, before its deadline. */
        OPEN,
        /** Past its deadline and not met. */
        OVERDUE,
        /** Met. */
        MET,
        /** No longer runs (the response ended, or it was no incident). */
        STOPPED
    }
}
