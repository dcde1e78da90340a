package dev.mamori.notification;

/** Where a delivery stands. */
public enum DeliveryState {
    /** Waiting for its (next) attempt. */
    QUEUED,
    /** An attempt is under way (or was, when its node died: tried again after a lease). */
    SENDING,
    /** Delivered. */
    SENT,
    /** Given up: refused, no address, or too many attempts. */
    FAILED
}
