package dev.mamori.notification;

import java.time.Instant;

/**
 * An in-app notice to one of a tenant's users.
 *
 * @param id        the notice
 * @param template  what kind (e.g. {@code incident.notice})
 * @param subject   one line
 * @param text      plain text (a client escapes it where it shows it as HTML)
 * @param createdAt when it arrived
 * @param readAt    when its reader marked it read, or null
 */
public record Notice(String id, String template, String subject, String text, Instant createdAt, Instant readAt) {
}
