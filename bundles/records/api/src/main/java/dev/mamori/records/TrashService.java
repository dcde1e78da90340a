package dev.mamori.records;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's trash (RET-2): deleted records wait here for the tenant's trash period (30 days unless
 * the tenant sets {@code records.trash.days}), restorable by whoever may write them, then the
 * automatic purge removes them for good. A tenant's admins also purge one item or the whole trash at
 * any time. Every purge deletes the rows and writes the purge ledger (ids and counts, never
 * contents), so that a restored backup can re-apply it (RET-3).
 */
@ProviderType
public interface TrashService {
    /** @return the items the caller may restore, oldest deletion first (metadata only) */
    List<TrashItem> list();

    /**
     * @param recordId a trashed record
     * @return the record, visible again (without its payload: reading it is a read of its own)
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#NO_SUCH_RECORD} (404) if it is not in the trash
     */
    Record restore(String recordId);

    /**
     * @param recordId a trashed record; tenant admins only
     */
    void purge(String recordId);

    /** @return how many records the purge removed; tenant admins only */
    int purgeAll();

    /**
     * Purges now what the automatic purge would: the tenant's trashed records whose trash period has
     * passed. For operators and the platform (the daily job does the same per tenant).
     *
     * @param tenantIdOrSlug the tenant
     * @return how many records were purged
     */
    int purgeExpired(String tenantIdOrSlug);
}
