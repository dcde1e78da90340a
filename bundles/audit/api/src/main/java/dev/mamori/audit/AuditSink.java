package dev.mamori.audit;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Somewhere outside the database that every signed checkpoint is also written to (AUD-3): a log
 * alone cannot show that its tail was cut, a copy elsewhere can. Whiteboard service with the
 * property {@value #NAME}; the audit capability ships an append-only file sink ({@code file}) and an
 * RFC 5424 syslog sink ({@code syslog}).
 */
@ConsumerType
public interface AuditSink {
    /** Service property: the sink's name, e.g. {@code file}. */
    String NAME = "audit.sink";

    /**
     * @param log        the log: a tenant id, or {@link AuditService#PLATFORM_LOG}
     * @param checkpoint the checkpoint as signed (a C2SP signed note)
     * @throws RuntimeException if it could not be kept (the audit capability retries it and reports the sink unhealthy)
     */
    void write(String log, LogCheckpoint checkpoint);

    /**
     * @param log a log
     * @return the signed notes this sink kept for the log, oldest first, for verification against the
     *         database (a truncated log shows here); none for a sink that cannot be read back
     */
    default List<String> notes(String log) {
        return List.of();
    }
}
