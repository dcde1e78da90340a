package dev.mamori.notification;

import java.time.Instant;
import java.util.List;

/**
 * What one affected tenant can hand to its own regulator about an incident (NTF-1..3, APPI): what
 * happened, which of its data categories and how many records they hold, every notice and update
 * sent to it and when each reached whom (account ids), and the report dates APPI expects.
 *
 * @param incidentId          the incident
 * @param tenantId            the tenant
 * @param tenantName          its name
 * @param title               the incident's title
 * @param status              its status
 * @param discoveredAt        when it was discovered
 * @param summary             what happened
 * @param cause               the cause, or null
 * @param response            the response, or null
 * @param unlawful            an unlawful act
 * @param categories          the affected data categories with the tenant's record counts in them
 * @param timeline            what happened when, oldest first
 * @param noticeDueAt         the notice deadline (72 h)
 * @param noticedAt           when the tenant's first notice e-mail went out, or null
 * @param appiPreliminaryDue  APPI's preliminary report (about 3-5 days; 5 shown)
 * @param appiFinalDue        APPI's final report (30 days, 60 for an unlawful act)
 * @param generatedAt         when this pack was made
 */
public record EvidencePack(String incidentId, String tenantId, String tenantName, String title, IncidentStatus status,
        Instant discoveredAt, String summary, String cause, String response, boolean unlawful, List<CategoryRecords> categories,
        List<TimelineEntry> timeline, Instant noticeDueAt, Instant noticedAt, Instant appiPreliminaryDue, Instant appiFinalDue,
        Instant generatedAt) {
    public EvidencePack {
        categories = List.copyOf(categories);
        timeline = List.copyOf(timeline);
    }

    /**
     * An affected data category.
     *
     * @param category its name
     * @param records  the tenant's records in it now (live and in the trash), or -1 when the records capability does not run
     */
    public record CategoryRecords(String category, long records) {
    }

    /**
     * One step.
     *
     * @param at     when
     * @param what   {@code discovered}, {@code opened}, {@code notice-queued}, {@code update-queued}, {@code delivered},
     *               {@code delivery-failed}, {@code outage-started}, {@code outage-ended}, {@code closed}
     * @param detail ids, channels and answers, never addresses
     */
    public record TimelineEntry(Instant at, String what, String detail) {
    }
}
