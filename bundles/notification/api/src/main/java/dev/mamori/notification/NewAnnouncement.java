package dev.mamori.notification;

import java.time.Instant;
import java.util.List;

/**
 * An announcement to publish.
 *
 * @param kind             what it tells
 * @param title            one line, 1-200 characters
 * @param body             the text, 1-4,000 characters
 * @param allTenants       every tenant not deleted when it goes out
 * @param tenants          these tenants (ids or slugs)
 * @param plans            the tenants on these plans when it goes out
 * @param sendAt           when it goes out (null: now); not in the past
 * @param maintenanceStart for MAINTENANCE: the window's start, at least the configured notice after {@code sendAt}
 * @param maintenanceEnd   for MAINTENANCE: the window's end (after its start, at most 24 hours later)
 */
public record NewAnnouncement(AnnouncementKind kind, String title, String body, boolean allTenants, List<String> tenants,
        List<String> plans, Instant sendAt, Instant maintenanceStart, Instant maintenanceEnd) {
}
