package dev.mamori.audit.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.mamori.audit.AuditEntry;
import dev.mamori.platform.event.EventEncoding;

/**
 * Reading the canonical audit entry ({@link dev.mamori.audit.proof.CanonicalEntry} writes it; the
 * README specifies it) back into the entry it records: the event decoded strictly by
 * {@link EventEncoding}.
 */
final class Entries {
    /** A log id: a tenant's UUID, or {@code platform}. */
    static final Pattern LOG_ID = Pattern.compile("[a-z0-9-]{1,36}");
    private static final byte[] PREFIX = "{\"event\":".getBytes(StandardCharsets.US_ASCII);

    private Entries() {
    }

    /** @return the entry a stored canonical entry holds (its event decoded strictly) */
    static AuditEntry decode(String log, long index, byte[] canonical) {
        byte[] tail = (",\"index\":" + index + ",\"log\":\"" + log + "\"}").getBytes(StandardCharsets.US_ASCII);
        int eventLength = canonical.length - PREFIX.length - tail.length;
        if (eventLength < 2 || !startsWith(canonical, PREFIX, 0) || !startsWith(canonical, tail, canonical.length - tail.length)) {
            throw new IllegalStateException("The entry at " + index + " of log " + log + " is not a canonical entry of that position");
        }
        byte[] event = new byte[eventLength];
        System.arraycopy(canonical, PREFIX.length, event, 0, eventLength);
        return new AuditEntry(log, index, EventEncoding.decode(event));
    }

    private static boolean startsWith(byte[] a, byte[] p, int at) {
        if (at < 0 || at + p.length > a.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (a[at + i] != p[i]) {
                return false;
            }
        }
        return true;
    }
}
