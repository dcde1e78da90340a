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
 * @param categories   the affected data categories (record category names), for the evidence packs
 */
public record NewIncident(String title, IncidentStatus status, Instant discoveredAt, List<String> tenants, boolean allTenants,
        String summary, String cause, String response, boolean unlawful, List<String> categories) {
    /** An incident that names no data categories. */
    public NewIncident(String title, IncidentStatus status, Instant discoveredAt, List<String> tenants, boolean allTenants,
            String summary, String cause, String response, boolean unlawful) {
        this(title, status, discoveredAt, tenants, allTenants, summary, cause, response, unlawful, List.of());
    }
}
