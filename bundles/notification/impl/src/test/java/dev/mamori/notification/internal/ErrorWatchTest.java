package dev.mamori.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.ErrorCount;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.OutgoingMessage;

@DisplayName("AUD-5: logged errors become operator alerts, grouped by logger, one per 15 minutes, a storm one line with its count")
class ErrorWatchTest {
    private NotificationFixture f;
    private final List<OutgoingMessage> mails = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        f = NotificationFixture.h2();
        f.channel("email", m -> {
            mails.add(m);
            return DeliveryResult.sent("250 OK");
        });
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private long check() {
        return NotificationFixture.system(f.errorWatch::check);
    }

    private void logged(String logger, long count, String message) {
        f.logged.put(logger, new ErrorCount(count, OffsetDateTime.ofInstant(f.clock.instant(), f.clock.getZone()), message));
    }

    @Test
    void stormsAreCountedAndRateLimited() {
        assertEquals(0, check(), "nothing logged, nothing sent");
        logged("dev.mamori.vault.internal.VaultKeys", 5, "Keystore unreadable");
        assertEquals(5, check());
        assertEquals(0, check(), "nothing new");
        logged("dev.mamori.vault.internal.VaultKeys", 1005, "Keystore unreadable");
        logged("org.eclipse.jetty.server.HttpChannel", 2, "Handler failed\r\nBcc: x@y.example");
        f.clock.advance(Duration.ofMinutes(5));
        assertEquals(0, check(), "within 15 minutes of the last alert: held back");
        f.clock.advance(Duration.ofMinutes(11));
        assertEquals(1002, check(), "the storm and the other logger in one alert");
        f.deliver();
        assertEquals(2, mails.size());
        // both alerts went in one batch, side by side: found by content, not by order
        OutgoingMessage storm = mails.stream().filter(m -> m.text().contains("1000 x")).findFirst().orElseThrow(() ->
                new AssertionError("no alert counts the storm: " + mails));
        assertTrue(mails.stream().anyMatch(m -> m.text().contains("5 x dev.mamori.vault.internal.VaultKeys")), "the first alert");
        assertTrue(storm.text().contains("1000 x dev.mamori.vault.internal.VaultKeys: Keystore unreadable"), storm.text());
        assertTrue(storm.text().contains("2 x org.eclipse.jetty.server.HttpChannel: Handler failed Bcc: x@y.example"), storm.text());
        assertTrue(storm.subject().contains("1002"), storm.subject());
        // the node restarted: its counts begin again
        logged("dev.mamori.vault.internal.VaultKeys", 3, "Keystore unreadable");
        f.logged.remove("org.eclipse.jetty.server.HttpChannel");
        f.clock.advance(Duration.ofMinutes(16));
        assertEquals(3, check());
    }

    @Test
    void groupedByLoggerAndMessage() {
        OffsetDateTime now = OffsetDateTime.ofInstant(f.clock.instant(), f.clock.getZone());
        f.groups.add(new dev.mamori.audit.ErrorGroup("dev.mamori.x.Delivery", "Delivery <id> failed: #", 40, now,
                "Delivery 0b1c2d3e-aaaa-4bbb-8ccc-123456789abc failed: 421"));
        f.groups.add(new dev.mamori.audit.ErrorGroup("dev.mamori.x.Delivery", "Keystore unreadable", 2, now, "Keystore unreadable"));
        assertEquals(42, check());
        f.deliver();
        OutgoingMessage alert = mails.get(0);
        assertTrue(alert.text().contains("40 x dev.mamori.x.Delivery: Delivery 0b1c2d3e-aaaa-4bbb-8ccc-123456789abc failed: 421"),
                alert.text());
        assertTrue(alert.text().contains("2 x dev.mamori.x.Delivery: Keystore unreadable"), alert.text());
        assertTrue(alert.subject().contains("42") && alert.subject().contains("1"), "one logger: " + alert.subject());
        f.groups.set(0, new dev.mamori.audit.ErrorGroup("dev.mamori.x.Delivery", "Delivery <id> failed: #", 45, now, "Delivery x failed"));
        f.clock.advance(Duration.ofMinutes(16));
        assertEquals(5, check(), "only what is new in the group");
    }
}
