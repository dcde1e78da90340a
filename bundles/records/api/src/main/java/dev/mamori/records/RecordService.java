package dev.mamori.records;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's records, in the bound tenant's context. Every call checks the caller's scoped
 * permission for the record's category and scope (IAM-2) — {@code records:read:<category>[/<scope>]}
 * to read, {@code records:write:...} to create, change and delete — and is recorded as an audit
 * event in the same unit of work, reads included (AUD-1); an employee also reads the records whose
 * subject is their own employee number. A record the caller may not read, another tenant's, or one in
 * the trash is not found, indistinguishably.
 */
@ProviderType
public interface RecordService {
    /** Permission domain of records. */
    String DOMAIN = "records";

    /**
     * @param draft the record
     * @return it, version 1
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#INVALID_PAYLOAD} (400, naming the
     *         field) when the payload does not meet the schema, {@link RecordErrors#NO_SUCH_CATEGORY} (400)
     */
    Record create(RecordDraft draft);

    /** @return the record, if the caller may read it (an audit event {@code record.read}) */
    Optional<Record> find(String id);

    /**
     * A record view joins the subject's name only for a caller allowed to see it (CRY-4: names live in
     * the PII store, never in records).
     *
     * @param recordId a record the caller may read
     * @return the full name of the person the record is about, for the person and the tenant's admins
     *         (read from the PII store and recorded as a profile read); empty for anyone else, for an
     *         erased person, and for a number no account has
     */
    Optional<String> subjectName(String recordId);

    /**
     * Replaces payload, scope and labels.
     *
     * @param id              the record
     * @param expectedVersion the version the caller read (If-Match)
     * @param draft           the new content; its category and subject must be the record's
     * @return the record, one version on
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#VERSION_MISMATCH} (412) when it
     *         changed meanwhile, {@link RecordErrors#NO_SUCH_RECORD} (404)
     */
    Record update(String id, long expectedVersion, RecordDraft draft);

    /**
     * Moves a record to the trash (RET-2): gone from every normal view at once, restorable until purged.
     *
     * @param id              the record
     * @param expectedVersion the version the caller read
     * @return the trash entry
     */
    TrashItem delete(String id, long expectedVersion);

    /** @return one page of the records the caller may read (one audit event per record read) */
    RecordPage search(RecordQuery query);

    /**
     * Counts per category, metadata only (OPS-1, OPS-2): for operators and support staff for any
     * tenant, for a tenant's admins for their own.
     *
     * @param tenantIdOrSlug the tenant
     * @return counts by category name
     */
    List<CategoryCount> count(String tenantIdOrSlug);
}
