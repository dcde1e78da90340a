package dev.mamori.retention.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.retention.CalendarAction;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantState;

@DisplayName("The tenant calendar's dates (TEN-3..5) in JST: trials, contract ends, terminations, leap days, the zone's day boundary")
class TenantCalendarTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static Tenant tenant(TenantState state, LocalDate trialEnds, LocalDate contractStart, LocalDate contractEnd,
            LocalDate terminated, Instant stateChangedAt) {
        return new Tenant("id", "acme", "Acme", state, "p", "jp", trialEnds, contractStart, contractEnd, terminated, T, T, stateChangedAt);
    }

    private static List<TenantCalendar.Due> due(Tenant t) {
        return TenantCalendar.due(t, 90, TOKYO);
    }

    @Test
    @DisplayName("TEN-3: a trial expires the day after its last day and is deleted 90 days after that (across a year end)")
    void trial() {
        List<TenantCalendar.Due> d = due(tenant(TenantState.TRIAL, LocalDate.of(2026, 11, 30), null, null, null, T));
        assertEquals(2, d.size());
        assertEquals(CalendarAction.EXPIRE, d.get(0).action());
        assertEquals(LocalDate.of(2026, 12, 1), d.get(0).from());
        assertEquals(CalendarAction.DELETE, d.get(1).action());
        assertEquals(LocalDate.of(2027, 3, 1), d.get(1).from(), "2026-12-01 + 90 days");
        assertEquals(LocalDate.of(2027, 2, 1), TenantCalendar.due(tenant(TenantState.TRIAL, LocalDate.of(2026, 11, 30), null, null, null, T),
                62, TOKYO).get(1).from(), "configurable");
    }

    @Test
    @DisplayName("TEN-3: a trial ending on 28 February of a leap year expires on the 29th and is deleted 90 days later, 29 May")
    void leapDay() {
        List<TenantCalendar.Due> d = due(tenant(TenantState.TRIAL, LocalDate.of(2028, 2, 28), null, null, null, T));
        assertEquals(LocalDate.of(2028, 2, 29), d.get(0).from());
        assertEquals(LocalDate.of(2028, 5, 29), d.get(1).from());
    }

    @Test
    @DisplayName("TEN-3: an expired trial counts from its expiry in JST: 00:30 JST on 10 December is the 10th, though 9 December in UTC")
    void expiredEarlyByAnOperator() {
        Instant halfPastMidnightJst = Instant.parse("2026-12-09T15:30:00Z");
        List<TenantCalendar.Due> d = due(tenant(TenantState.EXPIRED, LocalDate.of(2026, 12, 31), null, null, null, halfPastMidnightJst));
        assertEquals(1, d.size());
        assertEquals(LocalDate.of(2027, 3, 10), d.get(0).from());
        // expired by the calendar a day late (the server was down): still counted from the day after the last trial day
        List<TenantCalendar.Due> late = due(tenant(TenantState.EXPIRED, LocalDate.of(2026, 11, 30), null, null, null,
                Instant.parse("2026-12-02T03:00:00Z")));
        assertEquals(LocalDate.of(2027, 3, 1), late.get(0).from());
    }

    @Test
    @DisplayName("TEN-3: a paid contract expires the day after its end; an expired paid tenant stays locked, never deleted by the calendar")
    void paid() {
        List<TenantCalendar.Due> active = due(tenant(TenantState.ACTIVE, null, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31), null,
                T));
        assertEquals(1, active.size());
        assertEquals(CalendarAction.EXPIRE, active.get(0).action());
        assertEquals(LocalDate.of(2027, 1, 1), active.get(0).from());
        assertTrue(due(tenant(TenantState.EXPIRED, LocalDate.of(2025, 12, 31), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 11, 30), null,
                T)).isEmpty(), "paid once: kept, locked");
        assertTrue(due(tenant(TenantState.ACTIVE, null, LocalDate.of(2026, 1, 1), null, null, T)).isEmpty(), "open-ended");
    }

    @Test
    @DisplayName("TEN-5: a terminated contract's tenant is deleted the day after the termination date; its data goes by the next month's end")
    void terminated() {
        List<TenantCalendar.Due> d = due(tenant(TenantState.EXPIRED, null, LocalDate.of(2026, 1, 1), null, LocalDate.of(2027, 1, 31), T));
        assertEquals(1, d.size());
        assertEquals(CalendarAction.DELETE, d.get(0).action());
        assertEquals(LocalDate.of(2027, 2, 1), d.get(0).from());
        assertTrue(d.get(0).rule().contains("2027-02-28"), d.get(0).rule());
        assertTrue(due(tenant(TenantState.EXPIRED, null, LocalDate.of(2026, 1, 1), null, LocalDate.of(2028, 1, 15), T)).get(0).rule()
                .contains("2028-02-29"), "leap year's February");
    }

    @Test
    @DisplayName("A deleted or purged tenant has no calendar step here; a trial without an end date neither")
    void nothing() {
        assertTrue(due(tenant(TenantState.DELETED, LocalDate.of(2020, 1, 1), null, null, null, T)).isEmpty());
        assertTrue(due(tenant(TenantState.PURGED, LocalDate.of(2020, 1, 1), null, null, null, T)).isEmpty());
        assertTrue(due(tenant(TenantState.TRIAL, null, null, null, null, T)).isEmpty());
    }
}
