package dev.mamori.platform.internal;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronExpression;

/**
 * A cron expression (Quartz syntax, with seconds) evaluated in a zone: the platform clock's, so
 * that "0 0 1 * * ?" is 01:00 in Tokyo whatever the JVM's own zone is.
 */
final class CronSchedule {
    private final String expression;
    private final CronExpression cron;

    private CronSchedule(String expression, CronExpression cron) {
        this.expression = expression;
        this.cron = cron;
    }

    /**
     * @param expression a Quartz cron expression
     * @param zone       where it is read
     * @return the schedule
     * @throws IllegalArgumentException if the expression is not valid
     */
    static CronSchedule parse(String expression, ZoneId zone) {
        try {
            CronExpression c = new CronExpression(expression.trim());
            c.setTimeZone(TimeZone.getTimeZone(zone));
            return new CronSchedule(expression.trim(), c);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("Invalid cron expression '" + expression + "': " + e.getMessage(), e);
        }
    }

    /** @param after an instant @return the first firing strictly after it, or null if it never fires again */
    Instant next(Instant after) {
        Date d = cron.getNextValidTimeAfter(Date.from(after));
        return d == null ? null : d.toInstant();
    }

    String expression() {
        return expression;
    }
}
