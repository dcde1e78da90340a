package dev.mamori.notification;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The outbox and its delivery log. */
@ProviderType
public interface NotificationService {
    /**
     * Queues a notification in the caller's unit of work: it is delivered only if the unit commits,
     * and then even if the server restarts or the mail server is down meanwhile.
     *
     * @param notification what, to whom, how
     * @return the notification's id
     * @throws dev.mamori.platform.error.MamoriException forbidden unless an operator or the platform
     *         itself sends; invalid for an unknown template, channel or tenant
     */
    String send(Notification notification);

    /**
     * The delivery log, newest first: all of it for operators (or one tenant's), the bound tenant's
     * own for its tenant admins.
     *
     * @param tenantId for operators, one tenant's deliveries (null: all); ignored for tenant admins
     * @param limit    at most this many (1-500)
     * @return deliveries
     */
    List<Delivery> deliveries(String tenantId, int limit);
}
