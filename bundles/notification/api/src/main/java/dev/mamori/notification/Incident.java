package dev.mamori.notification;

import java.time.Instant;
import java.util.List;

/**
 * An incident as operators see it (NTF-1..3).
 *
 * @param id            the incident
 * @param title         one line
 * @param status        where it stands
 * @param discoveredAt  when it was discovered: the clocks run from here
 * @param openedAt      when it was recorded
 * @param summary       what happened (NTF-2)
 * @param cause         the cause, when known
 * @param response      the first response / measures, when known
 * @param unlawful      an unlawful act (APPI's final report then has 60 days, not 30)
 * @param allTenants    whether every tenant was affected (the list was taken when it was opened)
 * @param tenants       how many tenants are affected
 * @param noticesSent   how many notices and updates were sent to the tenants
 * @param lastUpdateAt  when the last notice or update was queued, or null
 * @param closedAt      when it was resolved or dismissed, or null
 * @param clocks        its obligation clocks now
 * @param version       for optimistic changes
 * @param outageStart   when the service stopped for the affected tenants, or null
 * @param outageEnd     when it came back, or null (still out, or none)
 * @param categories    the affected data categories
 */
public record Incident(String id, String title, IncidentStatus status, Instant discoveredAt, Instant openedAt, String summary,
        String cause, String response, boolean unlawful, boolean allTenants, int tenants, int noticesSent, Instant lastUpdateAt,
        Instant closedAt, List<ObligationClock> clocks, long version, Instant outageStart, Instant outageEnd, List<String> categories) {
    public Incident {
        clocks = List.copyOf(clocks);
        categories = List.copyOf(categories);
    }
}
