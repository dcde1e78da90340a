package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.Roles;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.Availability;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentChange;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewAnnouncement;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

@DisplayName("SLA (OPS-5): minutes probed, announced maintenance left out, JST month ends, tenants' outages, the monthly ledger")
class SlaTest {
    private static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final BigDecimal TARGET = BigDecimal.valueOf(99);
    private NotificationFixture f;

    static Stream<String> databases() {
        return Stream.of("h2", "postgres");
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @DisplayName("A JST month: 43,200 minutes from 15:00 UTC the day before; maintenance left out, down minutes counted, rounded down")
    void month() {
        YearMonth nov = YearMonth.of(2026, 11);
        Instant start = Sla.start(nov, JST);
        assertEquals(Instant.parse("2026-10-31T15:00:00Z"), start);
        assertEquals(Instant.parse("2026-11-30T15:00:00Z"), Sla.end(nov, JST));
        BitSet ready = new BitSet();
        ready.set(0, 43_200);
        ready.clear(1000, 1010);
        List<Sla.Window> maintenance = List.of(new Sla.Window(start.plus(Duration.ofMinutes(1005)), start.plus(Duration.ofMinutes(1065))));
        Availability a = Sla.compute(nov, JST, Instant.parse("2026-12-01T00:00:00Z"), start.minus(Duration.ofDays(40)), ready, maintenance,
                List.of(), TARGET, null);
        assertEquals(43_200, a.measured());
        assertEquals(60, a.maintenance());
        assertEquals(5, a.down(), "five of the ten down minutes fell in the announced window");
        assertEquals(new BigDecimal("99.988"), a.percent(), "43,135 / 43,140, rounded down");
        assertFalse(a.below());
        assertTrue(a.complete());
        Availability tenant = Sla.compute(nov, JST, Instant.parse("2026-12-01T00:00:00Z"), start, ready, maintenance,
                List.of(new Sla.Window(start.plus(Duration.ofMinutes(20_000)), start.plus(Duration.ofMinutes(20_500)))), TARGET, "t");
        assertEquals(505, tenant.down());
        assertEquals(new BigDecimal("98.829"), tenant.percent());
        assertTrue(tenant.below(), "below 99 %");
        Availability nothing = Sla.compute(nov, JST, Instant.parse("2026-12-01T00:00:00Z"), null, new BitSet(), List.of(), List.of(), TARGET,
                null);
        assertEquals(0, nothing.measured());
        assertNull(nothing.percent(), "nothing measured: no figure, not 0 % and not 100 %");
    }

    @ParameterizedTest
    @MethodSource("databases")
    @DisplayName("Probes every minute around the JST month end, a skipped minute and a not-ready one down, announced maintenance out, "
            + "a tenant's outage, the ledger written once and operators alerted for each scope below 99 %")
    void probesAndLedger(String db) {
        f = db.equals("h2") ? NotificationFixture.h2() : NotificationFixture.postgres();
        f.channel("email", m -> DeliveryResult.sent("250 OK"));
        String a = f.tenant("Aoi", "pro");
        String b = f.tenant("Beni", "pro");
        // maintenance 23:30-23:40 JST on the 30th, announced three days before
        f.clock.set(Instant.parse("2026-11-27T12:00:00Z"));
        NotificationFixture.asOperator(() -> f.announcements.publish(new NewAnnouncement(AnnouncementKind.MAINTENANCE, "DB", "x", true,
                null, null, null, Instant.parse("2026-11-30T14:30:00Z"), Instant.parse("2026-11-30T14:40:00Z"))));
        Incident outage = NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Outage", IncidentStatus.CONFIRMED,
                Instant.parse("2026-11-27T12:00:00Z"), List.of(b), false, "b was down", null, null, false)));
        // a probe every minute from 23:00 JST on the 30th to 00:10 JST on the 1st
        f.clock.set(Instant.parse("2026-11-30T14:00:00Z"));
        for (int m = 0; m < 70; m++) {
            f.clock.set(Instant.parse("2026-11-30T14:00:00Z").plus(Duration.ofMinutes(m)).plusSeconds(1));
            if (m == 10) {
                continue; // the server was not there
            }
            f.ready = m != 20 && m != 35; // 35 falls in the maintenance window
            NotificationFixture.system(f.probe::probe);
        }
        NotificationFixture.asOperator(() -> f.incidents.update(outage.id(), outage.version(), new IncidentChange(null, null, null, null, null,
                Instant.parse("2026-11-30T14:50:00Z"), Instant.parse("2026-11-30T14:55:00Z"))));
        f.clock.set(Instant.parse("2026-11-30T15:10:30Z"));
        Availability nov = NotificationFixture.asOperator(() -> f.sla.report(YearMonth.of(2026, 11), null));
        assertEquals(60, nov.measured(), "from the first probe to the JST month end");
        assertEquals(10, nov.maintenance());
        assertEquals(2, nov.down(), "the skipped minute and the not-ready one; the one in the window does not count");
        assertEquals(new BigDecimal("96.000"), nov.percent());
        assertTrue(nov.complete());
        Availability novB = NotificationFixture.asOperator(() -> f.sla.report(YearMonth.of(2026, 11), b));
        assertEquals(7, novB.down(), "plus b's five-minute outage");
        Availability dec = NotificationFixture.asOperator(() -> f.sla.report(null, null));
        assertEquals("2026-12", dec.month());
        assertEquals(10, dec.measured(), "00:00 to 00:10 JST belong to December");
        assertEquals(0, dec.down());
        assertFalse(dec.complete());

        Availability own = NotificationFixture.as(Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN)), a,
                () -> f.sla.report(YearMonth.of(2026, 11), b));
        assertEquals(a, own.tenantId(), "a tenant's admin gets their own, whatever they name");
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(Principal.user("e", a,
                Set.of(Roles.EMPLOYEE)), a, () -> f.sla.report(null, null))).kind());
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(Principal.user(f.admin(a), a,
                Set.of(Roles.TENANT_ADMIN)), a, () -> f.sla.all(null))).kind());

        assertEquals(3, NotificationFixture.system(() -> f.slaJob.close(YearMonth.of(2026, 11))), "platform, a and b below 99 %");
        assertEquals(0, NotificationFixture.system(() -> f.slaJob.close(YearMonth.of(2026, 11))), "the ledger is written once");
        f.deliver();
        assertEquals(3, NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 100)).stream()
                .filter(d -> d.template().equals("sla.alert")).count());
    }
}
