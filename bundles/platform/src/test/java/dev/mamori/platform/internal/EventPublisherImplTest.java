package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;

class EventPublisherImplTest {
    static final Instant NOW = Instant.parse("2026-11-29T00:00:00Z");
    static final EventType THING_DONE = EventType.of("test.thing.done", "count");
    static final EventType A = EventType.of("test.a");
    static final EventType B = EventType.of("test.b");
    long ids;

    static EventPublisherImpl.Config config(String... required) {
        return new EventPublisherImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventPublisherImpl.Config.class;
            }

            @Override
            public String[] required_listeners() {
                return required;
            }
        };
    }

    EventPublisherImpl publisher(String... required) {
        EventPublisherImpl p = new EventPublisherImpl(config(required));
        p.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return p;
    }

    Map<String, Object> props(String name, boolean required, Object types) {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.SERVICE_ID, ++ids);
        if (name != null) {
            p.put(MamoriEventListener.NAME, name);
        }
        if (required) {
            p.put(MamoriEventListener.REQUIRED, "true");
        }
        if (types != null) {
            p.put(MamoriEventListener.TYPES, types);
        }
        return p;
    }

    @Test
    @DisplayName("AUD-2: an event carries who acted, from which IP, in which request, stamped with the platform clock")
    void stampsContext() {
        EventPublisherImpl p = publisher();
        List<MamoriEvent> seen = new CopyOnWriteArrayList<>();
        p.bindListener(seen::add, props("audit", false, null));
        ExecutionContext ctx = ExecutionContext.builder(Channel.REST).principal(Principal.user("u-1", "t-1", Set.of("employee")))
                .tenant("t-1").clientIp("192.0.2.10").userAgent("curl/8.5").requestId("req-12345678").build();
        ctx.run(() -> p.publish(MamoriEvent.builder(THING_DONE).target("thing", "x-1").detail("count", 3)));
        MamoriEvent e = seen.get(0);
        assertEquals("test.thing.done", e.type());
        assertEquals(NOW, e.at());
        assertEquals("u-1", e.principalId().orElseThrow());
        assertEquals(PrincipalKind.USER, e.principalKind().orElseThrow());
        assertEquals("192.0.2.10", e.clientIp().orElseThrow());
        assertEquals("req-12345678", e.requestId().orElseThrow());
        assertEquals("t-1", e.tenantId().orElseThrow());
        assertEquals("REST", e.channel().orElseThrow());
        assertEquals(Map.of("count", "3"), e.details());
        assertEquals(MamoriEvent.Outcome.SUCCESS, e.outcome());
        assertEquals("curl/8.5", e.userAgent().orElseThrow());
        assertEquals(Set.of("employee"), e.principalRoles());
        assertEquals(7, e.id().version());
        assertEquals(MamoriEvent.SCHEMA_VERSION, e.version());
        ctx.run(() -> p.publish(MamoriEvent.builder(THING_DONE)));
        assertTrue(!seen.get(1).id().equals(e.id()), "every event has its own id");
    }

    @Test
    @DisplayName("AUD-6: the time of an event is written out in the zone of the platform clock")
    void timeInTheClocksZone() {
        EventPublisherImpl p = publisher();
        p.clock = Clock.fixed(NOW, java.time.ZoneId.of("Asia/Tokyo"));
        MamoriEvent e = p.publish(MamoriEvent.builder(THING_DONE));
        assertEquals(java.time.OffsetDateTime.parse("2026-11-29T09:00:00+09:00"), e.time());
        assertTrue(dev.mamori.platform.event.EventEncoding.text(e).contains("\"time\":\"2026-11-29T09:00:00.000+09:00\""));
    }

    @Test
    @DisplayName("AUD-1: a required listener that fails makes publish (and so the action) fail; an optional one is only logged")
    void requiredListenerFailureFailsTheAction() {
        EventPublisherImpl p = publisher();
        List<String> after = new CopyOnWriteArrayList<>();
        p.bindListener(e -> {
            throw new IllegalStateException("log full");
        }, props("flaky", false, null));
        p.bindListener(e -> after.add(e.type()), props("other", false, null));
        p.publish(MamoriEvent.builder(A));
        assertEquals(List.of("test.a"), after, "an optional listener's failure does not stop delivery");
        p.bindListener(e -> {
            throw new IllegalStateException("disk full");
        }, props("audit", true, null));
        MamoriException e = assertThrows(MamoriException.class, () -> p.publish(MamoriEvent.builder(B)));
        assertEquals(PlatformErrors.EVENT_DELIVERY_FAILED.code(), e.code());
    }

    @Test
    @DisplayName("AUD-1: while a listener the configuration requires is not registered, every publish fails; registered, it works")
    void missingRequiredListener() {
        EventPublisherImpl p = publisher("audit");
        MamoriException e = assertThrows(MamoriException.class, () -> p.publish(MamoriEvent.builder(A)));
        assertEquals(PlatformErrors.EVENT_LISTENER_MISSING.code(), e.code());
        assertTrue(e.retryAfter().isPresent());
        List<String> seen = new CopyOnWriteArrayList<>();
        MamoriEventListener audit = ev -> seen.add(ev.type());
        Map<String, Object> props = props("audit", false, null);
        p.bindListener(audit, props);
        p.publish(MamoriEvent.builder(A));
        assertEquals(List.of("test.a"), seen);
        p.unbindListener(audit, props);
        assertThrows(MamoriException.class, () -> p.publish(MamoriEvent.builder(A)));
        // a listener named in the configuration is required even without the property
        p.bindListener(ev -> {
            throw new IllegalStateException("x");
        }, props("audit", false, null));
        assertEquals(PlatformErrors.EVENT_DELIVERY_FAILED.code(), assertThrows(MamoriException.class,
                () -> p.publish(MamoriEvent.builder(A))).code());
    }

    @Test
    @DisplayName("EXT-1: listeners choose types by prefix, in ranking order")
    void typesAndOrder() {
        EventPublisherImpl p = publisher();
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, Object> low = props("low", false, "vault.");
        p.bindListener(e -> seen.add("low:" + e.type()), low);
        Map<String, Object> high = props("high", false, new String[] {"vault.", "tenant."});
        high.put(Constants.SERVICE_RANKING, 10);
        p.bindListener(e -> seen.add("high:" + e.type()), high);
        p.publish(MamoriEvent.builder(EventType.of("vault.key.created")));
        p.publish(MamoriEvent.builder(EventType.of("tenant.created")));
        p.publish(MamoriEvent.builder(EventType.of("other.thing")));
        assertEquals(List.of("high:vault.key.created", "low:vault.key.created", "high:tenant.created"), seen);
    }

    @Test
    @DisplayName("SEC-7: event types, keys and values are checked: no control characters, bounded, no free-form keys")
    void eventShapeIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> EventType.of("Bad Type"));
        assertThrows(IllegalArgumentException.class, () -> EventType.of("single"));
        assertThrows(IllegalArgumentException.class, () -> EventType.of("a.b", "bad key"));
        EventType ab = EventType.of("a.b", "k");
        assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(ab).detail("k", "line\nbreak"));
        assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(ab).detail("k", "x".repeat(257)));
        assertThrows(IllegalArgumentException.class, () -> MamoriEvent.builder(ab).target("t", ""));
    }

    /** A store the "audit" listener and the "action" both write to, through the unit's connection. */
    private static javax.sql.DataSource store() throws java.sql.SQLException {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:mem:events-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE rec (v VARCHAR(64))");
        }
        return ds;
    }

    private static void write(javax.sql.DataSource ds, String v) {
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO rec VALUES ('" + v + "')");
            c.commit();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rows(javax.sql.DataSource pool) throws java.sql.SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet r = st.executeQuery("SELECT v FROM rec ORDER BY v")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    @Test
    @DisplayName("AUD-1: a required listener writes in the action's unit of work: both commit, or neither")
    void requiredListenerJoinsTheUnit() throws Exception {
        javax.sql.DataSource pool = store();
        dev.mamori.platform.db.UnitDataSource main = new dev.mamori.platform.db.UnitDataSource(
                dev.mamori.platform.db.UnitDataSource.MAIN_STORE, pool);
        EventPublisherImpl p = publisher();
        p.bindListener(e -> write(main, "audit " + e.targetId().orElse("")), props("audit", true, null));
        dev.mamori.platform.db.UnitOfWork units = dev.mamori.platform.db.UnitOfWork.get();

        units.run(() -> {
            write(main, "action a-1");
            p.publish(MamoriEvent.builder(THING_DONE).target("thing", "a-1"));
        });
        // the action fails after its event was recorded: the record goes with it
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            write(main, "action a-2");
            p.publish(MamoriEvent.builder(THING_DONE).target("thing", "a-2"));
            throw new IllegalStateException("the action fails later");
        }));
        // the listener vetoes: the action goes with it
        p.bindListener(e -> {
            if ("a-3".equals(e.targetId().orElse(""))) {
                throw new IllegalStateException("disk full");
            }
        }, props("seal", true, null));
        MamoriException vetoed = assertThrows(MamoriException.class, () -> units.run(() -> {
            write(main, "action a-3");
            p.publish(MamoriEvent.builder(THING_DONE).target("thing", "a-3"));
        }));
        assertEquals(PlatformErrors.EVENT_DELIVERY_FAILED.code(), vetoed.code());
        // a caller that catches the refusal still cannot commit the action without its record (fail closed)
        assertThrows(MamoriException.class, () -> units.run(() -> {
            write(main, "action a-3");
            try {
                p.publish(MamoriEvent.builder(THING_DONE).target("thing", "a-3"));
            } catch (MamoriException swallowed) {
                // the action tries to carry on unrecorded
            }
        }));
        assertEquals(List.of("action a-1", "audit a-1"), rows(pool));
    }

    @Test
    @DisplayName("AUD-1: other listeners hear of an event once its unit committed, never of one that rolled back, and cannot fail it")
    void otherListenersAfterCommit() throws Exception {
        javax.sql.DataSource pool = store();
        dev.mamori.platform.db.UnitDataSource main = new dev.mamori.platform.db.UnitDataSource(
                dev.mamori.platform.db.UnitDataSource.MAIN_STORE, pool);
        EventPublisherImpl p = publisher();
        List<String> heard = new CopyOnWriteArrayList<>();
        p.bindListener(e -> { }, props(null, false, null));  // a listener without a name is no required one
        p.bindListener(e -> {
            try {
                // the row of the action is committed by the time this listener hears of it
                heard.add(e.targetId().orElse("") + " " + rows(pool));
            } catch (java.sql.SQLException x) {
                throw new IllegalStateException(x);
            }
            throw new IllegalStateException("a failing mailer");
        }, props("mailer", false, null));
        dev.mamori.platform.db.UnitOfWork units = dev.mamori.platform.db.UnitOfWork.get();
        units.run(() -> {
            write(main, "action b-1");
            p.publish(MamoriEvent.builder(THING_DONE).target("thing", "b-1"));
            assertEquals(List.of(), heard, "not before the commit");
        });
        assertThrows(IllegalStateException.class, () -> units.run(() -> {
            p.publish(MamoriEvent.builder(THING_DONE).target("thing", "b-2"));
            throw new IllegalStateException("rolled back");
        }));
        assertEquals(List.of("b-1 [action b-1]"), heard);
    }

    @Test
    @DisplayName("AUD-1: a unit whose PII store refused its commit is followed by platform.unit.incomplete naming its events")
    void incompleteUnitIsPublished() {
        EventPublisherImpl p = publisher();
        List<MamoriEvent> seen = new CopyOnWriteArrayList<>();
        p.bindListener(seen::add, props("audit", true, null));
        p.incomplete(new UnitEngine.Incomplete("unit-1", List.of("mamori-pii"), List.of("auth.user.updated u-1"), null));
        MamoriEvent e = seen.get(0);
        assertEquals(dev.mamori.platform.event.PlatformEvents.UNIT_INCOMPLETE.name(), e.type());
        assertEquals(MamoriEvent.Outcome.FAILURE, e.outcome());
        assertEquals("unit-1", e.targetId().orElseThrow());
        assertEquals("mamori-pii", e.details().get("stores"));
        assertEquals("auth.user.updated u-1", e.details().get("events"));
        p.stop();
    }

    @Test
    @DisplayName("AUD-1: the follow-up of an incomplete unit with many events is still published, its list cut to fit")
    void incompleteUnitWithManyEvents() {
        EventPublisherImpl p = publisher();
        List<MamoriEvent> seen = new CopyOnWriteArrayList<>();
        p.bindListener(seen::add, props("audit", true, null));
        List<String> events = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add("auth.user.updated 0193a0b2-7c00-7abc-8def-0000000000" + (10 + i));
        }
        p.incomplete(new UnitEngine.Incomplete("unit-2", List.of("mamori-pii"), events, null));
        String listed = seen.get(0).details().get("events");
        assertTrue(listed.length() <= 256, listed);
        assertTrue(listed.startsWith(events.get(0) + ";") && listed.matches(".*;\\+\\d+ more"), listed);
        p.stop();
    }

    @Test
    @DisplayName("AUD-3: EventsReady is offered only while every required listener is registered, so start-up work waits for the audit log")
    void eventsReadyFollowsTheRequiredListeners() {
        List<String> log = new ArrayList<>();
        org.osgi.framework.BundleContext context = (org.osgi.framework.BundleContext) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.osgi.framework.BundleContext.class}, (proxy, m, args) -> {
                    if (!m.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    log.add("registered " + ((dev.mamori.platform.event.EventsReady) args[1]).requiredListeners());
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {org.osgi.framework.ServiceRegistration.class}, (p2, m2, a2) -> {
                                log.add(m2.getName());
                                return null;
                            });
                });
        EventPublisherImpl p = new EventPublisherImpl(config("audit"), context);
        assertEquals(List.of(), log, "not ready without the audit listener");
        Map<String, Object> unnamed = props(null, false, null);
        p.bindListener(e -> { }, unnamed);
        assertEquals(List.of(), log, "an unnamed listener is not the audit log");
        Map<String, Object> audit = props("audit", true, null);
        p.bindListener(e -> { }, audit);
        assertEquals(List.of("registered [audit]"), log);
        p.unbindListener(e -> { }, audit);
        assertEquals(List.of("registered [audit]", "unregister"), log);
        p.bindListener(e -> { }, props("audit", true, null));
        p.stop();
        assertEquals(List.of("registered [audit]", "unregister", "registered [audit]", "unregister"), log);
    }
}
