package dev.mamori.notification;

import java.time.Instant;

/**
 * One line of the delivery log: one recipient of a notification over one channel. Recipients are
 * account ids (or {@code operators#n} for the n-th configured operator address), never addresses.
 *
 * @param id             the delivery (its Message-ID is derived from it)
 * @param notificationId the notification
 * @param template       what kind of notification
 * @param tenantId       the recipient's tenant, or null for operators
 * @param recipient      account id or {@code operators#n}
 * @param channel        channel id
 * @param state          where it stands
 * @param attempts       attempts made
 * @param queuedAt       when it was queued
 * @param nextAttemptAt  when it is tried next (QUEUED), else null
 * @param sentAt         when it was sent, else null
 * @param answer         the last answer of the channel (an SMTP reply), or null
 * @param incidentId     the incident it tells of, or null
 */
public record Delivery(String id, String notificationId, String template, String tenantId, String recipient, String channel,
        DeliveryState state, int attempts, Instant queuedAt, Instant nextAttemptAt, Instant sentAt, String answer, String incidentId) {
}
