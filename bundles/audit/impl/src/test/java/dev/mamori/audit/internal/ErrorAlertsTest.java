package dev.mamori.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ops4j.pax.logging.spi.PaxAppender;
import org.ops4j.pax.logging.spi.PaxLevel;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.ops4j.pax.logging.spi.support.PaxAppenderProxy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.mamori.platform.health.HealthStatus;
import dev.mamori.audit.ErrorCount;

/** AUD-5: ERROR and FATAL log events counted per logger, fed as Pax Logging hands them to appenders. */
class ErrorAlertsTest {
    /** Pax Logging's syslog severities: FATAL 0 (log4j2: 3), ERROR 3, WARN 4, INFO 6, DEBUG and TRACE 7. */
    private static final int FATAL = 0, ERROR = 3, WARN = 4, INFO = 6, DEBUG = 7;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"), ZoneId.of("Asia/Tokyo"));
    private final ErrorAlerts alerts = new ErrorAlerts(clock);

    @Test
    @DisplayName("AUD-5: errors and fatals counted per logger with the last one's time and message; lower levels ignored")
    void counts() {
        alerts.doAppend(event("dev.mamori.a", ERROR, "first"));
        alerts.doAppend(event("dev.mamori.a", WARN, "a warning"));
        alerts.doAppend(event("dev.mamori.b", INFO, "info"));
        alerts.doAppend(event("dev.mamori.b", DEBUG, "debug"));
        clock.plus(Duration.ofMinutes(1));
        alerts.doAppend(event("dev.mamori.a", FATAL, "second"));
        alerts.doAppend(event("dev.mamori.c", ERROR, "c failed"));

        Map<String, ErrorCount> c = alerts.snapshot();
        assertEquals(List.of("dev.mamori.a", "dev.mamori.c"), List.copyOf(c.keySet()), "no entry for a logger with no error");
        assertEquals(new ErrorCount(2, OffsetDateTime.parse("2026-12-07T19:01:00+09:00"), "second"), c.get("dev.mamori.a"));
        assertEquals(1, c.get("dev.mamori.c").count());
        assertEquals(3, alerts.summary().total());
    }

    @Test
    @DisplayName("AUD-5: grouped by logger and message shape (ids and numbers as #): one error repeated with other ids is one group")
    void groupedByShape() {
        alerts.doAppend(event("dev.mamori.d", ERROR, "Delivery 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed: 421 after 12 s"));
        alerts.doAppend(event("dev.mamori.d", ERROR, "Delivery 0b1c2d3e-aaaa-4bbb-8ccc-123456789abc failed: 421 after 30 s"));
        alerts.doAppend(event("dev.mamori.d", ERROR, "Keystore unreadable"));
        alerts.doAppend(event("dev.mamori.e", ERROR, "Keystore unreadable"));
        List<dev.mamori.audit.ErrorGroup> g = dev.mamori.platform.context.ExecutionContext.system("test").call(alerts::groups);
        assertEquals(List.of("dev.mamori.d Delivery <id> failed: # after # s 2", "dev.mamori.d Keystore unreadable 1",
                "dev.mamori.e Keystore unreadable 1"), g.stream().map(x -> x.logger() + " " + x.shape() + " " + x.count()).toList());
        assertEquals("Delivery 0b1c2d3e-aaaa-4bbb-8ccc-123456789abc failed: 421 after 30 s", g.get(0).message(), "the last one's words");
        assertEquals(3, alerts.snapshot().get("dev.mamori.d").count(), "per logger as before");
        assertEquals("IPv4 port # of host db1 v2, commit #", ErrorAlerts.shape("IPv4 port 5432 of host db1 v2, commit 9f8e7d6c5b"),
                "words with digits are words");
    }

    @Test
    @DisplayName("AUD-5: only a message's first line is kept, at most 200 characters: never a stack trace")
    void firstLineOnly() {
        alerts.doAppend(event("x", ERROR, "Query failed: timeout\njava.sql.SQLException: boom\n\tat dev.mamori.X.y(X.java:1)"));
        assertEquals("Query failed: timeout", alerts.snapshot().get("x").message());
        alerts.doAppend(event("x", ERROR, "windows\r\nline"));
        assertEquals("windows", alerts.snapshot().get("x").message());
        alerts.doAppend(event("x", ERROR, "y".repeat(199) + "\uD83D\uDE00" + "z".repeat(50)));
        assertEquals("y".repeat(199), alerts.snapshot().get("x").message(), "200 at most, and no half character");
        alerts.doAppend(event("x", ERROR, "z".repeat(500)));
        assertEquals("z".repeat(200), alerts.snapshot().get("x").message());
        alerts.doAppend(event("x", ERROR, null));
        assertEquals("", alerts.snapshot().get("x").message());
        alerts.doAppend(event(null, ERROR, "no name"));
        assertEquals(1, alerts.snapshot().get("root").count());
    }

    @Test
    @DisplayName("AUD-5: at most 200 loggers by name, the rest summed under 'other'")
    void bounded() {
        for (int i = 0; i < 250; i++) {
            alerts.doAppend(event("logger" + i, ERROR, "m" + i));
        }
        alerts.doAppend(event("logger0", ERROR, "again")); // one already counted keeps its own count
        alerts.doAppend(event("logger249", ERROR, "again"));
        Map<String, ErrorCount> c = alerts.snapshot();
        assertEquals(201, c.size());
        assertEquals(2, c.get("logger0").count());
        assertEquals(1, c.get("logger199").count());
        assertFalse(c.containsKey("logger200"));
        assertEquals(51, c.get(ErrorAlerts.OTHER).count());
        assertEquals("again", c.get(ErrorAlerts.OTHER).message());
        assertEquals(252, alerts.summary().total());
        assertEquals(ErrorAlerts.OTHER, alerts.summary().lastLogger());
    }

    @Test
    @DisplayName("AUD-5: since(t) names the loggers with an error at or after t")
    void since() {
        alerts.doAppend(event("early", ERROR, "e"));
        clock.plus(Duration.ofHours(1));
        Instant t = clock.instant();
        alerts.doAppend(event("late", ERROR, "l"));
        assertEquals(List.of("late"), List.copyOf(alerts.since(t).keySet()));
        assertEquals(List.of("early", "late"), List.copyOf(alerts.since(t.minusSeconds(3601)).keySet()));
        assertTrue(alerts.since(t.plusMillis(1)).isEmpty());
    }

    @Test
    @DisplayName("AUD-5: health check 'errors' is always up and says how many and where the last was, no message")
    void health() {
        ErrorHealth health = new ErrorHealth(alerts);
        assertEquals("errors", health.name());
        HealthStatus none = health.check();
        assertTrue(none.isUp());
        assertEquals("no errors since start", none.detail());

        alerts.doAppend(event("dev.mamori.a", ERROR, "secret host db.internal down"));
        alerts.doAppend(event("dev.mamori.a", ERROR, "again"));
        clock.plus(Duration.ofMillis(9_000_250)); // 2h30m0.25s later
        alerts.doAppend(event("dev.mamori.x", FATAL, "db.internal gone"));
        HealthStatus s = health.check();
        assertTrue(s.isUp(), "errors never make the server not ready");
        assertEquals("3 error(s) since start; last 2026-12-07T21:30:00+09:00 in dev.mamori.x", s.detail());
    }

    @Test
    @DisplayName("AUD-5: an event that cannot be read is dropped, never thrown back at the logging system")
    void neverThrows() {
        PaxLoggingEvent broken = (PaxLoggingEvent) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { PaxLoggingEvent.class },
                (p, m, a) -> {
                    throw new IllegalStateException("broken");
                });
        alerts.doAppend(broken);
        alerts.doAppend(event("x", ERROR, "still counting"));
        assertEquals(1, alerts.summary().total());
    }

    @Test
    @DisplayName("AUD-5: the component registers so that Pax Logging's PaxOsgi appender (filter *) hands it every event")
    void registeredForPaxOsgi() throws Exception {
        Document ds;
        try (InputStream in = ErrorAlerts.class.getResourceAsStream("/OSGI-INF/" + ErrorAlerts.class.getName() + ".xml")) {
            assertNotNull(in, "bnd wrote the component description");
            ds = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Map<String, Object> props = new HashMap<>();
        NodeList p = ds.getElementsByTagName("property");
        for (int i = 0; i < p.getLength(); i++) {
            Element e = (Element) p.item(i);
            props.put(e.getAttribute("name"), e.getAttribute("value"));
        }
        NodeList provide = ds.getElementsByTagName("provide");
        String[] objectClass = new String[provide.getLength()];
        for (int i = 0; i < objectClass.length; i++) {
            objectClass[i] = ((Element) provide.item(i)).getAttribute("interface");
        }
        props.put("objectClass", objectClass);

        // the filter Pax Logging itself builds for the appender configured in Karaf's org.ops4j.pax.logging.cfg
        BundleContext bc = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { BundleContext.class },
                (px, m, a) -> {
                    if (m.getName().equals("createFilter")) {
                        return FrameworkUtil.createFilter((String) a[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        Filter osgiAppender = PaxAppenderProxy.createFilter(bc, "*");
        assertTrue(osgiAppender.matches(props), osgiAppender + " matches " + props);
        assertTrue(PaxAppenderProxy.createFilter(bc, "mamori-error-alerts").matches(props));
        assertTrue(List.of(objectClass).contains(PaxAppender.class.getName()));
        props.remove("org.ops4j.pax.logging.appender.name");
        assertFalse(osgiAppender.matches(props), "the test would see a wrong property name");
    }

    // ---- helpers ----

    static PaxLoggingEvent event(String logger, int syslog, String message) {
        PaxLevel level = (PaxLevel) Proxy.newProxyInstance(ErrorAlertsTest.class.getClassLoader(), new Class<?>[] { PaxLevel.class },
                (p, m, a) -> switch (m.getName()) {
                    case "getSyslogEquivalent" -> syslog;
                    case "isGreaterOrEqual" -> syslog <= ((PaxLevel) a[0]).getSyslogEquivalent();
                    case "toString" -> "level" + syslog;
                    case "hashCode" -> syslog;
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (PaxLoggingEvent) Proxy.newProxyInstance(ErrorAlertsTest.class.getClassLoader(), new Class<?>[] { PaxLoggingEvent.class },
                (p, m, a) -> switch (m.getName()) {
                    case "getLevel" -> level;
                    case "getLoggerName" -> logger;
                    case "getMessage", "getRenderedMessage" -> message;
                    case "getThrowableStrRep" -> new String[] { "java.lang.IllegalStateException: trace", "\tat x.Y.z(Y.java:1)" };
                    case "getTimeStamp" -> 0L;
                    case "getThreadName" -> "t";
                    case "getProperties" -> Map.of();
                    case "locationInformationExists" -> false;
                    case "toString" -> logger + ": " + message;
                    case "hashCode" -> 0;
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now;
        private final ZoneId zone;

        TestClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void plus(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new TestClock(now, z);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    @DisplayName("AUD-5: the counts are read by operators and the platform only")
    void countsAreForOperators() {
        ErrorAlerts alerts = new ErrorAlerts(java.time.Clock.systemUTC());
        dev.mamori.platform.error.MamoriException none = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mamori.platform.error.MamoriException.class, alerts::counts);
        assertEquals(dev.mamori.platform.error.ErrorKind.UNAUTHENTICATED, none.kind());
        dev.mamori.platform.error.MamoriException user = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mamori.platform.error.MamoriException.class, () -> dev.mamori.platform.context.ExecutionContext
                        .builder(dev.mamori.platform.context.Channel.REST).principal(dev.mamori.platform.context.Principal.user("u", "t",
                                java.util.Set.of("tenant-admin"))).tenant("t").build().call(alerts::counts));
        assertEquals(dev.mamori.platform.error.ErrorKind.FORBIDDEN, user.kind());
        assertEquals(Map.of(), dev.mamori.platform.context.ExecutionContext.builder(dev.mamori.platform.context.Channel.SHELL)
                .principal(dev.mamori.platform.context.Principal.operator("op", java.util.Set.of("operator"))).build().call(alerts::counts));
    }
}
