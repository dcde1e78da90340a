package dev.mamori.platform.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every {@link MamoriEvent} (whiteboard). Called synchronously on the publishing thread,
 * inside the publisher's transaction: be quick, and never call back into the action.
 *
 * <p>Service properties: {@value #NAME} (the listener's name, used by the configuration's list of
 * required listeners), {@value #REQUIRED} ({@code true}: a failure makes the action fail, as the
 * audit trail needs), and optionally {@value #TYPES} (type prefixes it wants; default all).
 */
@ConsumerType
public interface MamoriEventListener {
    /** Service property: the listener's name, e.g. {@code audit}. */
    String NAME = "mamori.event.listener";
    /** Service property: {@code true} if the action must fail when this listener fails. */
    String REQUIRED = "mamori.event.required";
    /** Service property: type prefixes this listener wants, e.g. {@code vault.} (default: every type). */
    String TYPES = "mamori.event.types";

    /**
     * @param event what happened
     * @throws RuntimeException to refuse: for a required listener the action fails, otherwise it is logged
     */
    void onEvent(MamoriEvent event);
}
