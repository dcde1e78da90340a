package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.Roles;
import dev.mamori.notification.Audience;
import dev.mamori.notification.Delivery;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.Notice;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;

@DisplayName("In-app notices and the delivery log: each reader their own, each tenant its own (TEN-1, NTF-4); the outbox joins its unit of work")
class NoticeTest {
    private NotificationFixture f;
    private String a;
    private String b;

    @BeforeEach
    void start() {
        f = NotificationFixture.h2();
        f.channel("email", m -> DeliveryResult.sent("250 OK"));
        a = f.tenant("A", "a@a.example", "en");
        b = f.tenant("B", "b@b.example", "en");
        var i = NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Leak", IncidentStatus.SUSPECTED, f.clock.instant(),
                List.of(a, b), false, "s", null, null, false)));
        NotificationFixture.asOperator(() -> f.incidents.notifyTenants(i.id(), "m"));
        f.deliver();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Principal admin(String tenant) {
        return Principal.user(f.admin(tenant), tenant, Set.of(Roles.TENANT_ADMIN));
    }

    @Test
    @DisplayName("A reader sees and marks only their own notices: another tenant's notice id is 404, whoever asks")
    void crossTenant() {
        Notice mine = NotificationFixture.as(admin(a), a, () -> f.notices.mine(false, 10)).get(0);
        Notice theirs = NotificationFixture.as(admin(b), b, () -> f.notices.mine(false, 10)).get(0);
        MamoriException e = assertThrows(MamoriException.class, () -> NotificationFixture.as(admin(a), a, () -> f.notices.markRead(theirs.id())));
        assertEquals(NotificationErrors.NO_SUCH_NOTICE.code(), e.code());
        // the same account id claimed in another tenant's context is refused
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(admin(a), b,
                () -> f.notices.mine(false, 10))).kind());
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.asOperator(
                () -> f.notices.mine(false, 10))).kind(), "operators read no one's notices");
        Notice read = NotificationFixture.as(admin(a), a, () -> f.notices.markRead(mine.id()));
        assertNotNull(read.readAt());
        assertTrue(NotificationFixture.as(admin(a), a, () -> f.notices.mine(true, 10)).isEmpty());
        assertEquals(1, NotificationFixture.as(admin(b), b, () -> f.notices.mine(true, 10)).size(), "B's notice is untouched");
        Principal employee = Principal.user("e-1", a, Set.of(Roles.EMPLOYEE));
        assertTrue(NotificationFixture.as(employee, a, () -> f.notices.mine(false, 10)).isEmpty(), "employees were not told");
    }

    @Test
    @DisplayName("The delivery log: a tenant admin sees their tenant's lines only; employees and support none; operators all")
    void deliveryLog() {
        List<Delivery> own = NotificationFixture.as(admin(a), a, () -> f.notifications.deliveries(b, 100));
        assertEquals(2, own.size(), "e-mail and in-app, of A only, whatever tenant the admin names");
        assertTrue(own.stream().allMatch(d -> a.equals(d.tenantId())));
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(
                Principal.user("e-1", a, Set.of(Roles.EMPLOYEE)), a, () -> f.notifications.deliveries(null, 10))).kind());
        assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> NotificationFixture.as(
                Principal.support("s-1", Set.of(Roles.SUPPORT)), null, () -> f.notifications.deliveries(null, 10))).kind());
        assertEquals(4, NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 100)).size());
        assertEquals(2, NotificationFixture.asOperator(() -> f.notifications.deliveries(b, 100)).size());
    }

    @Test
    @DisplayName("A notification queued by work that rolls back is never delivered")
    void rolledBack() {
        int before = NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 500)).size();
        assertThrows(IllegalStateException.class, () -> NotificationFixture.asOperator(() -> UnitOfWork.get().call(() -> {
            f.notifications.send(Notification.of("incident.alert", Audience.operators()).value("title", "t"));
            throw new IllegalStateException("the action failed");
        })));
        f.clock.advance(Duration.ofMinutes(1));
        f.deliver();
        assertEquals(before, NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 500)).size());
        String id = NotificationFixture.asOperator(() -> f.notifications.send(Notification.of("incident.alert", Audience.operators())
                .value("title", "t")));
        f.deliver();
        assertTrue(NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 500)).stream()
                .anyMatch(d -> d.notificationId().equals(id)), "the same, committed, is");
        assertEquals(NotificationErrors.INVALID_NOTIFICATION.code(), assertThrows(MamoriException.class, () -> NotificationFixture
                .asOperator(() -> f.notifications.send(Notification.of("no.such", Audience.operators())))).code());
        assertEquals(NotificationErrors.INVALID_NOTIFICATION.code(), assertThrows(MamoriException.class, () -> NotificationFixture
                .asOperator(() -> f.notifications.send(Notification.of("incident.alert", Audience.tenantAdmins("nobody"))))).code());
    }
}
