package dev.mamori.notification;

/**
 * A change to an incident; null fields stay as they are.
 *
 * @param status   a new status (RESOLVED ends the progress clock, DISMISSED every clock)
 * @param summary  a new summary
 * @param cause    the cause
 * @param response the response so far
 * @param unlawful whether it was an unlawful act
 * @param outageStart when the service stopped for the affected tenants (their availability counts it as down, OPS-5)
 * @param outageEnd   when it came back
 */
public record IncidentChange(IncidentStatus status, String summary, String cause, String response, Boolean unlawful,
        java.time.Instant outageStart, java.time.Instant outageEnd) {
    /** A change of status and texts, no outage. */
    public IncidentChange(IncidentStatus status, String summary, String cause, String response, Boolean unlawful) {
        this(status, summary, cause, response, unlawful, null, null);
    }
}
