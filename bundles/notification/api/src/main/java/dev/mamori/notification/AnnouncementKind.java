package dev.mamori.notification;

/** What an announcement tells tenants (NTF-4..6, OPS-5). */
public enum AnnouncementKind {
    /** A service change that may seriously affect customers (NTF-4). */
    SERVICE_CHANGE,
    /** A discovered vulnerability (NTF-5). */
    VULNERABILITY,
    /** A change of the policy documents (NTF-6). */
    POLICY_CHANGE,
    /** Planned maintenance, announced in advance: its window does not count against the SLA (OPS-5). */
    MAINTENANCE
}
