package dev.mamori.audit;

import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An export that was authorised and recorded ({@link AuditService#export}), ready to stream: the
 * check happens before the first byte, so a refused export never starts a response.
 */
@ProviderType
public interface AuditExport {
    /** @return the log exported */
    String log();

    /**
     * Writes the log as JSON Lines (see the README): a header with the verifier keys, every entry with
     * its canonical bytes, the checkpoints, a trailer; what the offline verifier checks.
     *
     * @param out where to write (not closed)
     * @return the number of entries written
     */
    long writeTo(OutputStream out);
}
