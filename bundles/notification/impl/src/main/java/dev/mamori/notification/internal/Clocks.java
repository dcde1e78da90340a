package dev.mamori.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.ObligationClock;
import dev.mamori.notification.ObligationClock.State;

/**
 * An incident's deadlines at a moment: the notice to every affected tenant within 72 hours of
 * discovery (NTF-1: met when the last of them got its first e-mail), a progress update every 24
 * hours from discovery or the last notice while the response runs (NTF-3), and the dates Japan's
 * APPI expects of the tenants' own reports (shown; the tenants file them).
 */
final class Clocks {
    static final Duration NOTICE = Duration.ofHours(72);
    static final Duration PROGRESS = Duration.ofHours(24);
    static final Duration APPI_PRELIMINARY = Duration.ofDays(5);
    static final Duration APPI_FINAL = Duration.ofDays(30);
    static final Duration APPI_FINAL_UNLAWFUL = Duration.ofDays(60);

    private Clocks() {
    }

    static List<ObligationClock> of(IncidentStore.Row r, Instant now) {
        boolean dismissed = r.status() == IncidentStatus.DISMISSED;
        int pending = r.tenants() - r.noticed();
        Instant noticeMet = pending == 0 ? (r.lastNoticedAt() != null ? r.lastNoticedAt() : r.openedAt()) : null;
        ObligationClock notice = clock(ObligationClock.NOTICE, r.discoveredAt().plus(NOTICE), noticeMet, dismissed, now, Math.max(0, pending));
        Instant progressFrom = r.lastUpdateAt() != null && r.lastUpdateAt().isAfter(r.discoveredAt()) ? r.lastUpdateAt() : r.discoveredAt();
        ObligationClock progress = clock(ObligationClock.PROGRESS, progressFrom.plus(PROGRESS), null, !r.status().open(), now, 0);
        ObligationClock preliminary = clock(ObligationClock.APPI_PRELIMINARY, r.discoveredAt().plus(APPI_PRELIMINARY), null, dismissed, now, 0);
        ObligationClock fin = clock(ObligationClock.APPI_FINAL, r.discoveredAt().plus(r.unlawful() ? APPI_FINAL_UNLAWFUL : APPI_FINAL), null,
                dismissed, now, 0);
        return List.of(notice, progress, preliminary, fin);
    }

    private static ObligationClock clock(String name, Instant due, Instant met, boolean stopped, Instant now, int pending) {
        if (met != null) {
            return new ObligationClock(name, due, met, State.MET, Duration.ZERO, 0);
        }
        if (stopped) {
            return new ObligationClock(name, due, null, State.STOPPED, Duration.ZERO, pending);
        }
        Duration left = Duration.between(now, due);
        return new ObligationClock(name, due, null, left.isNegative() || left.isZero() ? State.OVERDUE : State.OPEN, left, pending);
    }

    /** @return a duration as operators read it: {@code 1d 4h 30m}, negative with a minus */
    static String format(Duration d) {
        boolean negative = d.isNegative();
        Duration a = d.abs();
        long days = a.toDays();
        long hours = a.toHoursPart();
        long minutes = a.toMinutesPart();
        return (negative ? "-" : "") + (days > 0 ? days + "d " : "") + hours + "h " + minutes + "m";
    }
}
