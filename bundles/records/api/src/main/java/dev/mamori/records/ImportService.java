package dev.mamori.records;

import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Bulk import of records (how the source HR systems deliver data): the file is kept encrypted until
 * its job has run; the job checks every row first — against the category's schema and the caller's
 * permission for the row's scope — and writes a report of the rejected ones naming line and column;
 * only when every row is good are all of them created, in one unit of work (all or nothing).
 */
@ProviderType
public interface ImportService {
    /** Name of the report artifact of a rejected import. */
    String REPORT = "rejected.csv";

    /**
     * @param request what the file is
     * @param content the file; read to its end, not closed
     * @return the accepted import and its job
     * @throws dev.mamori.platform.error.MamoriException 400 for an unknown category, format or charset,
     *         413 past the configured size, 403 without a write permission in the category
     */
    RecordImport start(ImportRequest request, InputStream content);
}
