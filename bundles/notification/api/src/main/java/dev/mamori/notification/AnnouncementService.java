package dev.mamori.notification;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Announcements (NTF-4..6): service changes, vulnerabilities, policy changes and planned
 * maintenance, written by operators for all tenants, some tenants or some plans, sent now or at a
 * set time to every targeted tenant's admins by e-mail and in-app. Tenant admins read the history
 * of what was sent to their tenant.
 */
@ProviderType
public interface AnnouncementService {
    /**
     * @param announcement what, to whom, when
     * @return it, scheduled (or queued, when it is due now)
     * @throws dev.mamori.platform.error.MamoriException forbidden unless an operator; invalid for a bad
     *         field, a maintenance window announced with less than the configured notice
     */
    Announcement publish(NewAnnouncement announcement);

    /**
     * @param id an announcement not sent yet
     * @return it, cancelled
     * @throws dev.mamori.platform.error.MamoriException conflict once it was sent
     */
    Announcement cancel(String id);

    /**
     * @param limit at most this many (1-500), newest first
     * @return operators: every announcement; a tenant's admins: those sent to their tenant
     */
    List<Announcement> list(int limit);
}
