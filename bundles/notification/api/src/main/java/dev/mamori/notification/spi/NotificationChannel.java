package dev.mamori.notification.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to deliver a message to one recipient, registered as a service with the property
 * {@value #ID} (e.g. {@code email}, {@code in-app}). The delivery job calls it outside any unit of
 * work, once per recipient and attempt, and records what it answers; a channel never throws for a
 * recipient it cannot reach: it says so.
 */
@ConsumerType
public interface NotificationChannel {
    /** The service property naming the channel. */
    String ID = "notification.channel";

    /**
     * @param message what to deliver, to whom; its {@link OutgoingMessage#messageId()} is the same on
     *                every attempt, so that a receiver can drop a duplicate
     * @return what happened
     */
    DeliveryResult deliver(OutgoingMessage message);
}
