package dev.mamori.platform.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented, beside {@link MamoriEventListener}, by a required listener that can record an event
 * published outside any unit of work (a sign-in failure, a throttle, a read recorded after its
 * transaction) without a unit of its own: it may write it in one commit shared with concurrent
 * publishers (group commit), so that a burst of events costs a few flushes instead of one each. The
 * rule stays: {@link #recordStandalone} returns only once the event is durable, and throws if it is
 * not, and the publisher then fails as for any required listener. Events published inside a unit of
 * work still go to {@link MamoriEventListener#onEvent}, in the unit.
 */
@ConsumerType
public interface StandaloneRecorder {
    /**
     * @param event an event published with no unit of work active
     * @throws RuntimeException if it could not be made durable (the publisher fails)
     */
    void recordStandalone(MamoriEvent event);
}
