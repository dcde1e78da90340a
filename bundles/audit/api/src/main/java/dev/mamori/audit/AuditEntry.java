package dev.mamori.audit;

import java.util.Objects;

import dev.mamori.platform.event.MamoriEvent;

/**
 * One entry of a log: its position and the event it records. The leaf the tree hashes is
 * {@link #canonical()}: the UTF-8 JCS text {@code {"event":<the event's canonical form>,"index":<i>,"log":"<log>"}}
 * (see the README), so an entry moved to another position or log no longer matches its leaf.
 *
 * @param log   a tenant id, or {@link AuditService#PLATFORM_LOG}
 * @param index its position, from 0
 * @param event what happened: time in the configured zone, tenant, actor (opaque id, kind, roles),
 *              client address, user agent, action, target, outcome, request id, details
 */
public record AuditEntry(String log, long index, MamoriEvent event) {
    /** Checks. */
    public AuditEntry {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(event, "event");
        if (index < 0) {
            throw new IllegalArgumentException("An index is at least 0.");
        }
    }
}
