package dev.mamori.notification.spi;

import java.util.Objects;

/**
 * What a channel answers for one attempt.
 *
 * @param status what happened
 * @param answer the receiving side's answer (an SMTP reply, say), short, for the delivery log
 */
public record DeliveryResult(Status status, String answer) {
    /** How an attempt ended. */
    public enum Status {
        /** Delivered (accepted by the next hop). */
        SENT,
        /** Not now (server down, 4xx): tried again later with back-off. */
        RETRY,
        /** Never (no address, 5xx): not tried again. */
        REFUSED
    }

    public DeliveryResult {
        Objects.requireNonNull(status, "status");
        answer = answer == null ? "" : answer;
    }

    /** @param answer the next hop's answer @return delivered */
    public static DeliveryResult sent(String answer) {
        return new DeliveryResult(Status.SENT, answer);
    }

    /** @param answer why @return try again later */
    public static DeliveryResult retry(String answer) {
        return new DeliveryResult(Status.RETRY, answer);
    }

    /** @param answer why @return never */
    public static DeliveryResult refused(String answer) {
        return new DeliveryResult(Status.REFUSED, answer);
    }
}
