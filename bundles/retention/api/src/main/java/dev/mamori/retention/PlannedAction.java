package dev.mamori.retention;

import java.time.LocalDate;

/**
 * One thing the tenant calendar does to a tenant.
 *
 * @param tenantId the tenant
 * @param slug     its slug
 * @param action   what
 * @param due      the day (configured zone) from which it is due
 * @param rule     the rule and the date it counts from, e.g. "trial ended 2026-09-30; deleted 90 days after"
 * @param heldBy   the legal hold that stops it, or null
 */
public record PlannedAction(String tenantId, String slug, CalendarAction action, LocalDate due, String rule, String heldBy) {
}
