package dev.mamori.audit;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit log (AUD-1..4). Every method checks the caller in the execution context itself (not
 * only REST): a tenant admin reaches its own tenant's log; an operator the platform's log, and a
 * tenant's log only with a reason, which is recorded in that tenant's own log; the platform itself
 * (jobs, start-up) every log; anyone else nothing ({@code forbidden}). A log the caller may not see
 * is answered as not found.
 */
@ProviderType
public interface AuditService {
    /** The platform's own log: events of no tenant. */
    String PLATFORM_LOG = "platform";

    /**
     * @param query what to find
     * @return a page of entries, in index order
     */
    AuditPage search(AuditQuery query);

    /**
     * @param log    a tenant id, {@link #PLATFORM_LOG}, or null for the caller's tenant
     * @param reason an operator's reason for a tenant's log (else ignored)
     * @return the newest signed checkpoint, signing one first if the log grew since (empty for a log
     *         with no entry yet)
     */
    Optional<LogCheckpoint> checkpoint(String log, String reason);

    /**
     * @param log    a tenant id, {@link #PLATFORM_LOG}, or null for the caller's tenant
     * @param reason an operator's reason for a tenant's log
     * @return the log's verifier keys (C2SP form), oldest first: every key version that signed its checkpoints
     */
    List<String> verifierKeys(String log, String reason);

    /**
     * @param log      a tenant id, {@link #PLATFORM_LOG}, or null
     * @param index    an entry's index
     * @param treeSize the size of a checkpoint the caller holds (at most the log's size)
     * @param reason   an operator's reason for a tenant's log
     * @return the inclusion proof of the entry in that tree
     */
    Proof inclusion(String log, long index, long treeSize, String reason);

    /**
     * @param log    a tenant id, {@link #PLATFORM_LOG}, or null
     * @param first  an older checkpoint's size
     * @param second a newer checkpoint's size (at most the log's size)
     * @param reason an operator's reason for a tenant's log
     * @return the consistency proof between the two trees
     */
    Proof consistency(String log, long first, long second, String reason);

    /**
     * Checks every entry of the log against its leaf, its position and every signed checkpoint.
     *
     * @param log              a tenant id, {@link #PLATFORM_LOG}, or null
     * @param externalNotes    checkpoints kept outside the database (a sink's, a tenant's own), signed notes
     * @param reason           an operator's reason for a tenant's log
     * @return what was found: all good, or the first bad position and the kind of damage
     */
    AuditVerification verify(String log, List<String> externalNotes, String reason);

    /**
     * Authorises and records an export of the log (the export is a read: it is recorded before it
     * starts), to be streamed with {@link AuditExport#writeTo}.
     *
     * @param log    a tenant id, {@link #PLATFORM_LOG}, or null
     * @param reason an operator's reason for a tenant's log
     * @return the export
     */
    AuditExport export(String log, String reason);
}
