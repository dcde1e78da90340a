package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentChange;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.ObligationClock;
import dev.mamori.notification.ObligationClock.State;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

@DisplayName("Incidents: 72-hour notice and 24-hour progress clocks, APPI dates, alerts, who may act (NTF-1..3), on H2 and PostgreSQL")
class IncidentTest {
    private NotificationFixture f;

    static Stream<String> databases() {
        return Stream.of("h2", "postgres");
    }

    private void open(String db) {
        f = db.equals("h2") ? NotificationFixture.h2() : NotificationFixture.postgres();
        f.channel("email", m -> DeliveryResult.sent("250 OK"));
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private Incident incident(List<String> tenants, Instant discovered, boolean unlawful) {
        return NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Leak", IncidentStatus.CONFIRMED, discovered, tenants,
                false, "What happened.", null, null, unlawful)));
    }

    private ObligationClock clock(String id, String name) {
        return NotificationFixture.asOperator(() -> f.incidents.find(id).orElseThrow()).clocks().stream()
                .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("NTF-1, NTF-3: the notice is due 72 h after discovery and met when every tenant got its e-mail; updates every 24 h until resolved")
    void clocks(String db) {
        open(db);
        String a = f.tenant("A", "a@a.example", "ja");
        String b = f.tenant("B", "b@b.example", "ja");
        Instant discovered = f.clock.instant();
        Incident i = incident(List.of(a, b), discovered, false);
        ObligationClock notice = i.clocks().get(0);
        assertEquals(ObligationClock.NOTICE, notice.name());
        assertEquals(discovered.plus(Duration.ofHours(72)), notice.dueAt());
        assertEquals(State.OPEN, notice.state());
        assertEquals(2, notice.pending());
        assertEquals(Duration.ofHours(72), notice.timeLeft());
        assertEquals(discovered.plus(Duration.ofDays(5)), clock(i.id(), ObligationClock.APPI_PRELIMINARY).dueAt());
        assertEquals(discovered.plus(Duration.ofDays(30)), clock(i.id(), ObligationClock.APPI_FINAL).dueAt());

        f.clock.advance(Duration.ofHours(25));
        assertEquals(State.OVERDUE, clock(i.id(), ObligationClock.PROGRESS).state(), "24 h passed without an update");
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "First notice."));
        ObligationClock progress = clock(i.id(), ObligationClock.PROGRESS);
        assertEquals(State.OPEN, progress.state());
        assertEquals(f.clock.instant().plus(Duration.ofHours(24)), progress.dueAt());
        assertEquals(State.OPEN, clock(i.id(), ObligationClock.NOTICE).state(), "queued is not sent");

        // B's admin cannot be reached: A is told, B is pending
        f.contacts.put(b, List.of());
        f.deliver();
        ObligationClock afterDelivery = clock(i.id(), ObligationClock.NOTICE);
        assertEquals(State.OPEN, afterDelivery.state());
        assertEquals(1, afterDelivery.pending());
        f.clock.advance(Duration.ofHours(48));
        assertEquals(State.OVERDUE, clock(i.id(), ObligationClock.NOTICE).state());
        assertTrue(clock(i.id(), ObligationClock.NOTICE).timeLeft().isNegative());

        Incident now = NotificationFixture.asOperator(() -> f.incidents.find(i.id()).orElseThrow());
        Incident resolved = NotificationFixture.asOperator(() -> f.incidents.update(i.id(), now.version(),
                new IncidentChange(IncidentStatus.RESOLVED, null, "A stolen token.", "Tokens revoked.", null)));
        assertEquals(State.STOPPED, resolved.clocks().get(1).state(), "no updates due once the response is finished");
        assertEquals(State.OVERDUE, resolved.clocks().get(0).state(), "but every tenant must still be told");
        assertEquals("A stolen token.", resolved.cause());
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("NTF-1: operators are alerted 24 h and 6 h before the notice deadline and once when it passes; each alert once")
    void alerts(String db) {
        open(db);
        String a = f.tenant("A", "a@a.example", "ja");
        Incident i = incident(List.of(a), f.clock.instant(), true);
        assertEquals(f.clock.instant().plus(Duration.ofDays(60)), clock(i.id(), ObligationClock.APPI_FINAL).dueAt(), "unlawful: 60 days");
        // keep the progress clock quiet: an update every 20 hours
        f.clock.advance(Duration.ofHours(20));
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "n"));
        f.contacts.put(a, List.of());
        f.deliver();
        f.clock.advance(Duration.ofHours(20));
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "u1"));
        f.clock.advance(Duration.ofHours(9));
        // 49 h after discovery: 23 h left on the notice
        assertEquals(1, watch());
        assertEquals(0, watch(), "once");
        f.clock.advance(Duration.ofHours(18));
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "u2"));
        assertEquals(1, watch(), "6 h before");
        f.clock.advance(Duration.ofHours(6));
        assertEquals(1, watch(), "overdue");
        assertEquals(0, watch());
        List<String> thresholds = f.events.of(NotificationEvents.CLOCK_ALERT).stream().map(e -> e.details().get("clock") + "/"
                + e.details().get("threshold")).toList();
        assertEquals(List.of("notice/24h", "notice/6h", "notice/overdue"), thresholds);
        f.deliver();
        List<Delivery> ops = NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 100)).stream()
                .filter(d -> d.template().equals("incident.alert")).toList();
        assertEquals(3, ops.size());
        assertTrue(ops.stream().allMatch(d -> d.recipient().equals("operators#0") && d.state() == DeliveryState.SENT), ops.toString());
    }

    private int watch() {
        return dev.mamori.platform.context.ExecutionContext.system("job:notification.incident-clocks").call(f.watch::check);
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("Only operators open, change and notify; support, tenant admins and employees cannot even read incidents")
    void whoMay(String db) {
        open(db);
        String a = f.tenant("A", "a@a.example", "ja");
        Incident i = incident(List.of(a), f.clock.instant(), false);
        List<Principal> others = List.of(Principal.support("s-1", Set.of(Roles.SUPPORT)),
                Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN)), Principal.user("e-1", a, Set.of(Roles.EMPLOYEE)));
        for (Principal p : others) {
            String tenant = p.tenantId().orElse(null);
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, tenant,
                    () -> f.incidents.list(false))).kind(), p.toString());
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, tenant,
                    () -> f.incidents.find(i.id()))).kind());
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, tenant,
                    () -> f.incidents.notifyTenants(i.id(), "x"))).kind());
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, tenant,
                    () -> f.notifications.send(dev.mamori.notification.Notification.of("incident.alert",
                            dev.mamori.notification.Audience.operators())))).kind());
        }
        MamoriException stale = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(() -> f.incidents.update(i.id(),
                i.version() + 5, new IncidentChange(null, "x", null, null, null))));
        assertEquals(NotificationErrors.INCIDENT_CHANGED.code(), stale.code());
        Incident dismissed = NotificationFixture.asOperator(() -> f.incidents.update(i.id(), i.version(),
                new IncidentChange(IncidentStatus.RESOLVED, null, null, null, null)));
        MamoriException back = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(() -> f.incidents.update(i.id(),
                dismissed.version(), new IncidentChange(IncidentStatus.SUSPECTED, null, null, null, null))));
        assertEquals(NotificationErrors.INCIDENT_CLOSED.code(), back.code());
        assertEquals(NotificationErrors.INVALID_INCIDENT.code(), assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.incidents.open(new NewIncident("x", IncidentStatus.CONFIRMED, f.clock.instant().plus(Duration.ofHours(1)),
                        List.of(a), false, "s", null, null, false)))).code(), "discovered in the future");
        assertEquals(NotificationErrors.INVALID_INCIDENT.code(), assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.incidents.open(new NewIncident("x", IncidentStatus.CONFIRMED, f.clock.instant(), List.of("no-such-tenant"), false,
                        "s", null, null, false)))).code());
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("An affected tenant's evidence pack: categories with its record counts, the notice and its deliveries, APPI dates; "
            + "for operators and that tenant's admins only")
    void evidence(String db) {
        open(db);
        String a = f.tenant("A", "a@a.example", "ja");
        String b = f.tenant("B", "b@b.example", "ja");
        f.recordCounts.put(a, List.of(new dev.mamori.records.CategoryCount("health-checkup", 10, 2),
                new dev.mamori.records.CategoryCount("attributes", 5, 0)));
        Incident i = NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Leak", IncidentStatus.CONFIRMED, f.clock.instant(),
                List.of(a), false, "What happened.", null, null, true, List.of("health-checkup", "stress-check"))));
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "First notice."));
        f.clock.advance(Duration.ofMinutes(3));
        f.deliver();
        var pack = NotificationFixture.asOperator(() -> f.incidents.evidence(i.id(), a));
        assertEquals(List.of(new dev.mamori.notification.EvidencePack.CategoryRecords("health-checkup", 12),
                new dev.mamori.notification.EvidencePack.CategoryRecords("stress-check", 0)), pack.categories());
        List<String> steps = pack.timeline().stream().map(dev.mamori.notification.EvidencePack.TimelineEntry::what).toList();
        assertEquals(List.of("discovered", "opened", "notice-queued", "delivered", "delivered"), steps);
        assertTrue(pack.timeline().stream().noneMatch(t -> t.detail().contains("a@a.example")), "no address");
        assertEquals(f.clock.instant(), pack.noticedAt());
        assertEquals(i.discoveredAt().plus(Duration.ofDays(60)), pack.appiFinalDue(), "unlawful: 60 days");
        assertEquals(i.discoveredAt().plus(Duration.ofDays(5)), pack.appiPreliminaryDue());
        Principal adminA = Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN));
        assertEquals(pack.timeline(), NotificationFixture.as(adminA, a, () -> f.incidents.evidence(i.id(), b)).timeline(),
                "the tenant's admin gets their own, whatever they name");
        Principal adminB = Principal.user(f.admin(b), b, Set.of(Roles.TENANT_ADMIN));
        assertEquals(NotificationErrors.NO_SUCH_INCIDENT.code(), assertThrows(MamoriException.class, () -> NotificationFixture.as(adminB, b,
                () -> f.incidents.evidence(i.id(), null))).code(), "an incident that did not affect B does not exist for B");
        assertEquals(NotificationErrors.NO_SUCH_INCIDENT.code(), assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.incidents.evidence(i.id(), b))).code());
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(Principal.user("e-1", a,
                Set.of(Roles.EMPLOYEE)), a, () -> f.incidents.evidence(i.id(), null))).kind());
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(Principal.support("s", Set.of(
                Roles.SUPPORT)), null, () -> f.incidents.evidence(i.id(), a))).kind());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("A notice sent under a version the operator read: a retried or doubled request tells no tenant twice; bad dates and "
            + "transitions refused")
    void guarded() {
        open("h2");
        String a = f.tenant("A", "a@a.example", "ja");
        Incident i = NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Leak", IncidentStatus.SUSPECTED,
                f.clock.instant().minus(Duration.ofHours(1)), List.of(a), false, "What happened.", null, null, false)));
        Incident told = NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), i.version(), "We are on it."));
        MamoriException twice = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.incidents.notifyTenants(i.id(), i.version(), "We are on it.")));
        assertEquals(NotificationErrors.INCIDENT_CHANGED.code(), twice.code());
        assertEquals(1, f.events.of(NotificationEvents.INCIDENT_NOTIFIED).size(), "told once");
        assertEquals(1, NotificationFixture.asOperator(() -> f.incidents.find(i.id()).orElseThrow()).noticesSent());

        MamoriException resolved = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.incidents.update(i.id(), told.version(), new IncidentChange(IncidentStatus.RESOLVED, null, null, null, null))));
        assertEquals(NotificationErrors.INCIDENT_CLOSED.code(), resolved.code(), "a suspicion is confirmed or dismissed first");
        for (Instant bad : List.of(Instant.parse("1999-12-31T23:59:59Z"), Instant.MIN)) {
            MamoriException e = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(() -> f.incidents.open(
                    new NewIncident("Old", IncidentStatus.CONFIRMED, bad, List.of(a), false, "x", null, null, false))));
            assertEquals(NotificationErrors.INVALID_INCIDENT.code(), e.code(), bad.toString());
        }
    }
}
