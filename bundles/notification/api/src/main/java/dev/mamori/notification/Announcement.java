package dev.mamori.notification;

import java.time.Instant;
import java.util.List;

/**
 * An announcement to tenants' admins, by e-mail and in-app.
 *
 * @param id               the announcement
 * @param kind             what it tells
 * @param title            one line
 * @param body             the text
 * @param allTenants       for every tenant
 * @param tenants          the tenants named (ids), empty otherwise
 * @param plans            the plans named, empty otherwise
 * @param sendAt           when it goes (or went) out
 * @param sentAt           when it went out, or null while scheduled
 * @param cancelledAt      when it was cancelled (before it went out), or null
 * @param recipients       tenants it was sent to (0 while scheduled)
 * @param maintenanceStart the maintenance window's start, or null
 * @param maintenanceEnd   its end, or null
 * @param createdAt        when it was written
 */
public record Announcement(String id, AnnouncementKind kind, String title, String body, boolean allTenants, List<String> tenants,
        List<String> plans, Instant sendAt, Instant sentAt, Instant cancelledAt, int recipients, Instant maintenanceStart,
        Instant maintenanceEnd, Instant createdAt) {
    public Announcement {
        tenants = List.copyOf(tenants);
        plans = List.copyOf(plans);
    }
}
