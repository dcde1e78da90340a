package dev.mamori.audit;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed checkpoint of a log: its size and root hash at a time, as a C2SP {@code tlog-checkpoint}
 * signed note ({@link #note}), which anyone verifies with the log's verifier key alone.
 *
 * @param log  a tenant id, or {@link AuditService#PLATFORM_LOG}
 * @param size entries covered
 * @param root RFC 9162 root hash of those entries
 * @param time when it was signed, in the configured zone (AUD-6)
 * @param note the signed note: origin, size, base64 root, {@code time} line, blank line, signature
 */
public record LogCheckpoint(String log, long size, byte[] root, OffsetDateTime time, String note) {
    /** Checks and copies. */
    public LogCheckpoint {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(note, "note");
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** @return the root hash in base64, as the note writes it */
    public String rootBase64() {
        return Base64.getEncoder().encodeToString(root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogCheckpoint c && c.log.equals(log) && c.size == size && c.note.equals(note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(log, size, note);
    }

    @Override
    public String toString() {
        return "LogCheckpoint[" + log + " size=" + size + " root=" + rootBase64() + "]";
    }
}
