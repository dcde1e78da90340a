package dev.mamori.notification;

/**
 * A change to an incident; null fields stay as they are.
 *
 * @param status   a new status (RESOLVED ends the progress clock, DISMISSED every clock)
 * @param summary  a new summary
 * @param cause    the cause
 * @param response the response so far
 * @param unlawful whether it was an unlawful act
 */
public record IncidentChange(IncidentStatus status, String summary, String cause, String response, Boolean unlawful) {
}
