package dev.mamori.notification;

import java.time.Instant;
import java.util.List;

/**
 * An incident to open.
 *
 * @param title        one line, 1-200 characters
 * @param status       SUSPECTED or CONFIRMED
 * @param discoveredAt when it was discovered (not in the future)
 * @param tenants      affected tenants (ids or slugs); null or empty with {@code allTenants}
 * @param allTenants   every tenant that exists now (not deleted or purged)
 * @param summary      what happened, 1-4,000 characters
 * @param cause        the cause, or null
 * @param response     the first response, or null
 * @param unlawful     an unlawful act
 */
public record NewIncident(String title, IncidentStatus status, Instant discoveredAt, List<String> tenants, boolean allTenants,
        String summary, String cause, String response, boolean unlawful) {
}
