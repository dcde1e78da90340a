package dev.mamori.shell.spi;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/** Output and input helpers for commands: times in the platform clock's zone (AUD-6), dates. */
public final class Format {
    private Format() {
    }

    /**
     * @param instant an instant
     * @param clock   the platform clock (its zone)
     * @return e.g. {@code 2026-11-29T10:00:00+09:00}
     */
    public static String time(Instant instant, Clock clock) {
        return instant == null ? "" : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(clock.getZone()).withNano(0));
    }

    /** @param date a date, if any @return it, or empty */
    public static String date(Optional<LocalDate> date) {
        return date.map(LocalDate::toString).orElse("");
    }

    /**
     * @param value  text like {@code 2026-12-31}, or null
     * @param option the option it came from, for the error
     * @return the date, or null
     * @throws MamoriException {@code invalid-request} if it is not a date
     */
    public static LocalDate parseDate(String value, String option) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new MamoriException(PlatformErrors.INVALID, option + " must be a date like 2026-12-31, not '" + value + "'.");
        }
    }
}
