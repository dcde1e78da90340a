package dev.mamori.audit.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.ops4j.pax.logging.PaxLoggingConstants;
import org.ops4j.pax.logging.spi.PaxAppender;
import org.ops4j.pax.logging.spi.PaxLevel;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.ErrorCount;
import dev.mamori.audit.ErrorGroup;
import dev.mamori.audit.LoggedErrors;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * Counts the server's ERROR and FATAL log events per logger (AUD-5), for alerting operators.
 * Karaf's Pax Logging configuration has an {@code osgi} appender ({@code PaxOsgi}, filter {@code *})
 * that hands every event to each {@link PaxAppender} service with the property
 * {@value PaxLoggingConstants#SERVICE_PROPERTY_APPENDER_NAME_PROPERTY}, so this needs no logging
 * configuration of its own.
 *
 * <p>Memory stays bounded whatever is logged: at most {@value #MAX_LOGGERS} loggers are counted by
 * name, errors of any other are summed under {@value #OTHER}, and only each logger's last message
 * is kept, its first line cut to {@value #MAX_MESSAGE} characters. The counts start with the
 * component (they are not persisted): an alert compares two readings.
 */
@Component(service = { PaxAppender.class, ErrorAlerts.class, LoggedErrors.class },
        property = PaxLoggingConstants.SERVICE_PROPERTY_APPENDER_NAME_PROPERTY + "=mamori-error-alerts")
public class ErrorAlerts implements PaxAppender, LoggedErrors {
    /** Loggers counted by name. */
    static final int MAX_LOGGERS = 200;
    /** Where the errors of loggers beyond {@link #MAX_LOGGERS} are summed. */
    static final String OTHER = "other";
    /** Characters kept of a message's first line. */
    static final int MAX_MESSAGE = 200;
    /** Groups (logger and message shape) counted; beyond, errors are summed under {@value #OTHER} and {@value #OTHER_MESSAGES}. */
    static final int MAX_GROUPS = 500;
    /** The shape the errors beyond {@link #MAX_GROUPS} are summed under. */
    static final String OTHER_MESSAGES = "other messages";
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("0x[0-9a-fA-F]+|\\b[0-9a-fA-F]{8,}\\b|\\b\\d+\\b");
    /** The syslog severity Pax Logging gives ERROR (FATAL is 0, or 3 as well with log4j2). */
    private static final int SYSLOG_ERROR = 3;

    private final Clock clock;
    private final Instant started;
    /** Guarded by this: an error is rare, so one lock costs nothing, and the bound is then exact. */
    private final Map<String, Counter> counters = new HashMap<>();
    /** By logger and message shape, guarded by this. */
    private final Map<List<String>, Counter> groups = new HashMap<>();
    private long total;
    private Instant last;
    private String lastLogger;

    /** @param clock the platform clock: when errors came, and the zone they are shown in */
    @Activate
    public ErrorAlerts(@Reference Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public void doAppend(PaxLoggingEvent event) {
        // called on the logging thread of every event in the server: anything not an error returns at once,
        // and nothing here logs or throws (an exception would cost the other appenders the event)
        try {
            PaxLevel level = event.getLevel();
            if (level == null || level.getSyslogEquivalent() > SYSLOG_ERROR) {
                return;
            }
            String logger = event.getLoggerName() == null || event.getLoggerName().isEmpty() ? "root" : event.getLoggerName();
            String message = event.getRenderedMessage() != null ? event.getRenderedMessage() : event.getMessage();
            count(logger, firstLine(message), clock.instant());
        } catch (RuntimeException e) {
            // an event that cannot be read is not counted; logging it here would come straight back
        }
    }

    private synchronized void count(String logger, String message, Instant at) {
        String key = counters.containsKey(logger) || counters.size() < MAX_LOGGERS ? logger : OTHER;
        counters.computeIfAbsent(key, k -> new Counter()).add(at, message);
        List<String> group = List.of(logger, shape(message));
        if (!groups.containsKey(group) && groups.size() >= MAX_GROUPS) {
            group = List.of(OTHER, OTHER_MESSAGES);
        }
        groups.computeIfAbsent(group, k -> new Counter()).add(at, message);
        total++;
        last = at;
        lastLogger = key;
    }

    /** @return the errors of every logger that had one since the start, by logger name (no caller check: in-bundle use) */
    Map<String, ErrorCount> snapshot() {
        return since(Instant.MIN);
    }

    @Override
    public Map<String, ErrorCount> counts() {
        operatorsOnly();
        return snapshot();
    }

    private static void operatorsOnly() {
        Principal p = ExecutionContext.current().flatMap(ExecutionContext::principal).orElse(null);
        if (p == null) {
            throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "The error counts need a signed-in operator.");
        }
        if (p.kind() != PrincipalKind.OPERATOR && p.kind() != PrincipalKind.SYSTEM) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "The server's error counts are for operators.");
        }
    }

    /**
     * @param t a time
     * @return the loggers whose last error came at or after {@code t}, by name; each one's count is
     *         still since the start (an alert takes the difference from an earlier reading)
     */
    public synchronized Map<String, ErrorCount> since(Instant t) {
        ZoneId zone = clock.getZone();
        Map<String, ErrorCount> out = new TreeMap<>();
        counters.forEach((logger, c) -> {
            if (!c.last.isBefore(t)) {
                out.put(logger, new ErrorCount(c.count, OffsetDateTime.ofInstant(c.last, zone), c.message));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    @Override
    public List<ErrorGroup> groups() {
        operatorsOnly();
        ZoneId zone = clock.getZone();
        synchronized (this) {
            List<ErrorGroup> out = new java.util.ArrayList<>();
            groups.forEach((k, c) -> out.add(new ErrorGroup(k.get(0), k.get(1), c.count, OffsetDateTime.ofInstant(c.last, zone), c.message)));
            out.sort(java.util.Comparator.comparing(ErrorGroup::logger).thenComparing(ErrorGroup::shape));
            return out;
        }
    }

    /** @return the message's shape: UUIDs as {@code <id>}, numbers and hexadecimal ids (8 digits or more) as {@code #} */
    static String shape(String firstLine) {
        return NUMBER.matcher(UUID.matcher(firstLine).replaceAll("<id>")).replaceAll("#");
    }

    /** @return the totals, for the health check */
    public synchronized Summary summary() {
        return new Summary(total, started, Optional.ofNullable(last).map(l -> OffsetDateTime.ofInstant(l, clock.getZone())), lastLogger);
    }

    /**
     * All errors since the start.
     *
     * @param total      ERROR and FATAL events
     * @param started    when counting started
     * @param last       when the last one came, in the platform's zone
     * @param lastLogger the logger of the last one (or {@value ErrorAlerts#OTHER}); null if none
     */
    public record Summary(long total, Instant started, Optional<OffsetDateTime> last, String lastLogger) {
    }

    /** @return the message's first line, cut to {@link #MAX_MESSAGE} characters (never a stack trace) */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.length();
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (c == '\n' || c == '\r') {
                end = i;
                break;
            }
        }
        if (end > MAX_MESSAGE) {
            end = MAX_MESSAGE;
            if (Character.isHighSurrogate(message.charAt(end - 1))) {
                end--; // not half a character
            }
        }
        return message.substring(0, end);
    }

    /** One logger's errors; guarded by the enclosing instance. */
    private static final class Counter {
        long count;
        Instant last;
        String message;

        void add(Instant at, String m) {
            count++;
            last = at;
            message = m;
        }
    }
}
