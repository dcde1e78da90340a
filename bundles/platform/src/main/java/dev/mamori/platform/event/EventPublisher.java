package dev.mamori.platform.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes {@link MamoriEvent}s to every {@link MamoriEventListener}, synchronously on the
 * caller's thread: publish inside your transaction and a required listener's failure rolls the
 * action back ("no action without its audit entry").
 */
@ProviderType
public interface EventPublisher {

    /**
     * Stamps the event with the platform clock and the current {@link dev.mamori.platform.context.ExecutionContext}
     * and delivers it.
     *
     * @param event the event
     * @return the delivered event
     * @throws dev.mamori.platform.error.MamoriException {@code event-listener-missing} if a listener the
     *         configuration requires is not registered, {@code event-delivery-failed} if a required
     *         listener failed; the action must then fail too
     */
    MamoriEvent publish(MamoriEvent.Builder event);
}
