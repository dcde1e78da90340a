package dev.mamori.notification.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;

import dev.mamori.notification.Availability;

/**
 * A month's availability from minute bits (OPS-5): the month is the calendar month in the zone (a
 * JST month starts at 15:00 UTC the day before); minutes count from the first probe or the month's
 * start to its end or now; announced maintenance is left out; a measured minute without a ready
 * probe, or in an outage of the tenant's, is down.
 */
final class Sla {
    private Sla() {
    }

    /** A window of time. */
    record Window(Instant start, Instant end) {
    }

    static Instant start(YearMonth month, ZoneId zone) {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    static Instant end(YearMonth month, ZoneId zone) {
        return start(month.plusMonths(1), zone);
    }

    /**
     * @param month       the month
     * @param zone        its zone
     * @param now         now
     * @param firstProbe  the first minute ever probed, or null
     * @param ready       ready minutes, bits from the month's start
     * @param maintenance announced maintenance windows
     * @param outages     outages of the tenant (empty for the platform)
     * @param target      the target, percent
     * @param tenantId    the tenant, or null
     */
    static Availability compute(YearMonth month, ZoneId zone, Instant now, Instant firstProbe, BitSet ready, List<Window> maintenance,
            List<Window> outages, BigDecimal target, String tenantId) {
        Instant start = start(month, zone);
        Instant end = end(month, zone);
        int total = (int) Duration.between(start, end).toMinutes();
        int from = firstProbe == null ? total : clamp(minutes(start, firstProbe), total);
        // only whole minutes that have passed: the current one's probe may not have run yet
        int to = clamp((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                Math.floorDiv(now.toEpochMilli() - start.toEpochMilli(), 60_000L))), total);
        BitSet maint = bits(start, total, maintenance);
        BitSet out = bits(start, total, outages);
        long measured = 0;
        long inMaintenance = 0;
        long down = 0;
        for (int m = from; m < to; m++) {
            measured++;
            if (maint.get(m)) {
                inMaintenance++;
            } else if (!ready.get(m) || out.get(m)) {
                down++;
            }
        }
        long counted = measured - inMaintenance;
        BigDecimal percent = counted <= 0 ? null : BigDecimal.valueOf(counted - down).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(counted), 3, RoundingMode.DOWN);
        boolean complete = !now.isBefore(end);
        return new Availability(month.toString(), tenantId, measured, inMaintenance, down, percent, target,
                percent != null && percent.compareTo(target) < 0, complete);
    }

    /** @return whole minutes from start to t, rounded up (a minute begun is the next one's start) */
    private static int minutes(Instant start, Instant t) {
        long ms = t.toEpochMilli() - start.toEpochMilli();
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.floorDiv(ms + 59_999L, 60_000L)));
    }

    private static int clamp(int v, int total) {
        return Math.max(0, Math.min(total, v));
    }

    private static BitSet bits(Instant start, int total, List<Window> windows) {
        BitSet b = new BitSet(total);
        for (Window w : windows) {
            // every minute the window touches
            int a = clamp((int) Math.floorDiv(w.start().toEpochMilli() - start.toEpochMilli(), 60_000L), total);
            int z = clamp(minutes(start, w.end()), total);
            if (z > a) {
                b.set(a, z);
            }
        }
        return b;
    }
}
