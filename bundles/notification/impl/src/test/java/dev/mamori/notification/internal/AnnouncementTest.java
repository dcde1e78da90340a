package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.NewAnnouncement;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.OutgoingMessage;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

@DisplayName("Announcements: service changes, vulnerabilities, policy changes, maintenance - targets, schedules, notice (NTF-4..6, OPS-5)")
class AnnouncementTest {
    private NotificationFixture f;
    private final List<OutgoingMessage> mails = new CopyOnWriteArrayList<>();
    private String a;
    private String b;
    private String c;

    @BeforeEach
    void start() {
        f = NotificationFixture.h2();
        f.channel("email", m -> {
            mails.add(m);
            return DeliveryResult.sent("250 OK");
        });
        a = f.tenant("Aoi", "pro");
        b = f.tenant("Beni", "basic");
        c = f.tenant("Cha", "pro");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Announcement publish(NewAnnouncement n) {
        return NotificationFixture.asOperator(() -> f.announcements.publish(n));
    }

    private List<Announcement> seenBy(String tenant) {
        return NotificationFixture.as(Principal.user(f.admin(tenant), tenant, Set.of(Roles.TENANT_ADMIN)), tenant,
                () -> f.announcements.list(50));
    }

    @Test
    @DisplayName("NTF-5: a vulnerability for a plan reaches the admins of that plan's tenants, by e-mail and in-app; they see it in their history")
    void toAPlan() {
        Announcement v = publish(new NewAnnouncement(AnnouncementKind.VULNERABILITY, "OpenSSL の脆弱性", "影響はありません。", false, null,
                List.of("pro"), null, null, null));
        assertNotNull(v.sentAt(), "due now: sent at once");
        assertEquals(2, v.recipients());
        f.deliver();
        assertEquals(2, mails.size());
        assertTrue(mails.stream().allMatch(m -> m.subject().equals("【脆弱性に関するお知らせ】OpenSSL の脆弱性")), mails.toString());
        assertTrue(mails.stream().noneMatch(m -> b.equals(m.tenantId())));
        assertEquals(1, seenBy(a).size());
        assertEquals(List.of(), seenBy(a).get(0).plans(), "a tenant is not told whom else it was for");
        assertTrue(seenBy(b).isEmpty());
        assertEquals("2", f.events.of(NotificationEvents.ANNOUNCEMENT_SENT).get(0).details().get("tenants"));
        assertEquals(1, NotificationFixture.as(Principal.user(f.admin(c), c, Set.of(Roles.TENANT_ADMIN)), c, () -> f.notices.mine(false, 10))
                .size());
    }

    @Test
    @DisplayName("NTF-4: scheduled for later, it goes out when due, once; a scheduled one can be cancelled, a sent one cannot")
    void scheduled() {
        Announcement later = publish(new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "API v0 retires", "Move to v1.", false,
                List.of(b), null, f.clock.instant().plus(Duration.ofHours(2)), null, null));
        assertNull(later.sentAt());
        Announcement never = publish(new NewAnnouncement(AnnouncementKind.POLICY_CHANGE, "Privacy policy", "Changed.", true, null, null,
                f.clock.instant().plus(Duration.ofHours(2)), null, null));
        NotificationFixture.asOperator(() -> f.announcements.cancel(never.id()));
        f.clock.advance(Duration.ofHours(1));
        assertEquals(0, NotificationFixture.system(f.announcementJob::sendDue));
        f.clock.advance(Duration.ofHours(1));
        assertEquals(1, NotificationFixture.system(f.announcementJob::sendDue));
        assertEquals(0, NotificationFixture.system(f.announcementJob::sendDue), "once");
        f.deliver();
        assertEquals(1, mails.size());
        assertEquals(b, mails.get(0).tenantId());
        MamoriException sent = assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(() -> f.announcements.cancel(later.id())));
        assertEquals(NotificationErrors.ANNOUNCEMENT_SENT.code(), sent.code());
        assertEquals(1, f.events.of(NotificationEvents.ANNOUNCEMENT_CANCELLED).size());
    }

    @Test
    @DisplayName("OPS-5: maintenance is announced at least the configured 72 hours before its window, which lasts at most 24 hours")
    void maintenanceNotice() {
        Instant now = f.clock.instant();
        for (NewAnnouncement bad : List.of(
                new NewAnnouncement(AnnouncementKind.MAINTENANCE, "DB upgrade", "x", true, null, null, null, now.plus(Duration.ofHours(71)),
                        now.plus(Duration.ofHours(72))),
                new NewAnnouncement(AnnouncementKind.MAINTENANCE, "DB upgrade", "x", true, null, null, null, now.plus(Duration.ofHours(80)),
                        now.plus(Duration.ofHours(105))),
                new NewAnnouncement(AnnouncementKind.MAINTENANCE, "DB upgrade", "x", true, null, null, null, null, null),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", true, null, null, null, now.plus(Duration.ofHours(80)),
                        now.plus(Duration.ofHours(81))),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", true, List.of(a), null, null, null, null),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", false, null, null, now.minus(Duration.ofHours(1)), null, null),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x\r\n", "", true, null, null, null, null, null))) {
            assertEquals(NotificationErrors.INVALID_ANNOUNCEMENT.code(), assertThrows(MamoriException.class, () -> publish(bad)).code(),
                    bad.toString());
        }
        Announcement m = publish(new NewAnnouncement(AnnouncementKind.MAINTENANCE, "DB upgrade", "Brief.", true, null, null, null,
                Instant.parse("2026-12-04T16:00:00Z"), Instant.parse("2026-12-04T18:00:00Z")));
        assertEquals(3, m.recipients());
        f.deliver();
        assertEquals(3, mails.size());
        // every admin's e-mail (sent side by side, in no set order) gives the window in JST
        mails.forEach(x -> assertTrue(x.text().contains("2026-12-05 01:00 +09:00 から 2026-12-05 03:00 +09:00 まで"), x.text()));
    }

    @Test
    @DisplayName("Only operators publish and cancel; employees and support read no announcements")
    void whoMay() {
        NewAnnouncement n = new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "y", true, null, null, null, null, null);
        for (Principal p : List.of(Principal.user(f.admin(a), a, Set.of(Roles.TENANT_ADMIN)), Principal.support("s", Set.of(Roles.SUPPORT)),
                Principal.user("e", a, Set.of(Roles.EMPLOYEE)))) {
            String t = p.tenantId().orElse(null);
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, t,
                    () -> f.announcements.publish(n))).kind());
        }
        for (Principal p : List.of(Principal.support("s", Set.of(Roles.SUPPORT)), Principal.user("e", a, Set.of(Roles.EMPLOYEE)))) {
            String t = p.tenantId().orElse(null);
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(p, t,
                    () -> f.announcements.list(10))).kind());
        }
    }

    @Test
    @DisplayName("Plans as tenants name them; an announcement sent now that reaches nobody is refused and kept nowhere; none more than a year ahead")
    void mistakes() {
        for (NewAnnouncement bad : List.of(
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", false, null, List.of("Gold"), null, null, null),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", false, null, List.of("enterprise"), null, null, null),
                new NewAnnouncement(AnnouncementKind.SERVICE_CHANGE, "x", "x", true, null, null, f.clock.instant().plus(Duration.ofDays(400)),
                        null, null))) {
            assertEquals(NotificationErrors.INVALID_ANNOUNCEMENT.code(), assertThrows(MamoriException.class, () -> publish(bad)).code(),
                    bad.toString());
        }
        // (the recorded events are this fixture's double; in the server they roll back with the unit, NoticeTest.rolledBack)
        assertEquals(0, NotificationFixture.asOperator(() -> f.announcements.list(50)).size(), "nothing kept");
        assertEquals(0, mails.size() + f.deliver(), "nothing queued");
    }

    @Test
    @DisplayName("OPS-5: maintenance announced late (the job did not run in time) still goes out, but its window is downtime, not maintenance")
    void lateMaintenance() {
        Instant now = f.clock.instant();
        Announcement onTime = publish(new NewAnnouncement(AnnouncementKind.MAINTENANCE, "On time", "x", true, null, null,
                now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(80)), now.plus(Duration.ofHours(81))));
        Announcement late = publish(new NewAnnouncement(AnnouncementKind.MAINTENANCE, "Late", "x", true, null, null,
                now.plus(Duration.ofHours(2)), now.plus(Duration.ofHours(75)), now.plus(Duration.ofHours(76))));
        f.clock.advance(Duration.ofHours(1));
        assertEquals(1, NotificationFixture.system(f.announcementJob::sendDue), "the first on time");
        f.clock.advance(Duration.ofHours(5));
        assertEquals(1, NotificationFixture.system(f.announcementJob::sendDue), "the second 4 hours late: 69 hours before its window");
        List<AnnouncementStore.Window> windows = f.core.announcements.maintenance(null, now, now.plus(Duration.ofDays(5)),
                f.settings.maintenanceNotice());
        assertEquals(List.of(onTime.maintenanceStart()), windows.stream().map(AnnouncementStore.Window::start).toList());
        assertEquals(List.of(false, true), f.events.of(NotificationEvents.ANNOUNCEMENT_SENT).stream()
                .map(e -> e.details().get("lateNotice")).map(v -> Boolean.valueOf(String.valueOf(v))).toList());
        assertNotNull(late.id());
    }
}
