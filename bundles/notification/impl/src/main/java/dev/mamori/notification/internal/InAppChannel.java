package dev.mamori.notification.internal;

import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.notification.Notification;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.NotificationChannel;
import dev.mamori.notification.spi.OutgoingMessage;

/** In-app notices: the message kept for its reader, once per notification and reader however often it is attempted. */
@Component(service = NotificationChannel.class, property = NotificationChannel.ID + "=" + Notification.IN_APP)
public class InAppChannel implements NotificationChannel {
    private final NotificationCore core;

    /** @param core the notice store */
    @Activate
    public InAppChannel(@Reference NotificationCore core) {
        this.core = core;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage m) {
        if (m.tenantId() == null || m.userId() == null) {
            return DeliveryResult.refused("In-app notices are for a tenant's accounts.");
        }
        boolean fresh = core.units.call(() -> core.notices.insert(m.tenantId(), UUID.randomUUID().toString(), m.userId(), m.notificationId(),
                m.template(), m.subject(), m.text(), core.clock.instant()));
        return DeliveryResult.sent(fresh ? "stored" : "already stored");
    }
}
