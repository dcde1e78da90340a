package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Test
    @DisplayName("BAK-1, AUD-6: 01:00 means 01:00 in the configured zone (16:00 UTC the day before)")
    void readInTheZone() {
        CronSchedule daily = CronSchedule.parse("0 0 1 * * ?", TOKYO);
        ZonedDateTime after = ZonedDateTime.of(2026, 3, 1, 0, 30, 0, 0, TOKYO);
        assertEquals(ZonedDateTime.of(2026, 3, 1, 1, 0, 0, 0, TOKYO).toInstant(), daily.next(after.toInstant()));
        assertEquals("2026-02-28T16:00:00Z", daily.next(after.toInstant()).toString());
        // strictly after: at 01:00 exactly, the next is tomorrow
        assertEquals(ZonedDateTime.of(2026, 3, 2, 1, 0, 0, 0, TOKYO).toInstant(),
                daily.next(ZonedDateTime.of(2026, 3, 1, 1, 0, 0, 0, TOKYO).toInstant()));
        CronSchedule utc = CronSchedule.parse("0 0 1 * * ?", ZoneId.of("UTC"));
        assertEquals("2026-03-01T01:00:00Z", utc.next(after.toInstant()).toString());
    }

    @Test
    @DisplayName("BAK-1: an invalid expression is refused with the reason")
    void invalid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("every day", TOKYO));
        assertEquals(true, e.getMessage().startsWith("Invalid cron expression 'every day'"));
    }
}
