package dev.mamori.platform.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes {@link MamoriEvent}s to every {@link MamoriEventListener}, synchronously on the
 * caller's thread: publish inside your transaction and a required listener's failure rolls the
 * action back ("no action without its audit entry"). An event published outside any unit of work
 * goes to a required listener that is a {@link StandaloneRecorder} without a unit: publishing
 * returns once the listener made it durable (in a commit it may share with concurrent publishers).
 */
@ProviderType
public interface EventPublisher {

    /**
     * Stamps the event with a new id, the platform clock (its instant and zone) and the current
     * {@link dev.mamori.platform.context.ExecutionContext}, and delivers it.
     *
     * @param event the event
     * @return the delivered event
     * @throws dev.mamori.platform.error.MamoriException {@code event-listener-missing} if a listener the
     *         configuration requires is not registered, {@code event-delivery-failed} if a required
     *         listener failed; the action must then fail too
     */
    MamoriEvent publish(MamoriEvent.Builder event);

    /**
     * Records a read of tenant data (AUD-1: "access logs of all interactions with the data"): call
     * it once the data is at hand and before it is handed out, so that a read that cannot be recorded
     * does not happen (a required listener that fails makes this throw).
     *
     * @param type       a type declared with {@link EventType#read}, e.g. {@code auth.profile.read}
     * @param targetType what was read, e.g. {@code user}
     * @param targetId   its id
     * @return the delivered event
     * @throws IllegalArgumentException if the type is not a read type
     */
    default MamoriEvent read(EventType type, String targetType, String targetId) {
        if (!type.isRead()) {
            throw new IllegalArgumentException(type.name() + " is not a read type (EventType.read).");
        }
        return publish(MamoriEvent.builder(type).target(targetType, targetId));
    }
}
