package dev.mamori.records;

import dev.mamori.platform.event.EventType;

/** The records capability's audit events: ids, categories, versions and counts, never contents or names. */
public final class RecordEvents {
    /** A record was created. */
    public static final EventType CREATED = EventType.of("record.created", "category", "version");
    /** A record was read (AUD-1). */
    public static final EventType READ = EventType.read("record.read", "category", "version");
    /** A record was changed. */
    public static final EventType UPDATED = EventType.of("record.updated", "category", "version");
    /** A record was moved to the trash. */
    public static final EventType TRASHED = EventType.of("record.trashed", "category", "version");
    /** A record came back from the trash. */
    public static final EventType RESTORED = EventType.of("record.restored", "category", "version");
    /** Records were purged for good: one event per purge, with the count and why. */
    public static final EventType PURGED = EventType.of("record.purged", "category", "count", "reason");
    /** A person's erasure reached their records of a category (IAM-5): how many went to the trash, how many stay pseudonymised. */
    public static final EventType SUBJECT_ERASED = EventType.of("record.subject.erased", "category", "trashed", "pseudonymised");
    /** A file was attached to a record. */
    public static final EventType ATTACHMENT_ADDED = EventType.of("record.attachment.added", "record", "mediaType", "size");
    /** An attachment's content was read (AUD-1). */
    public static final EventType ATTACHMENT_READ = EventType.read("record.attachment.read", "record");
    /** An attachment was removed for good. */
    public static final EventType ATTACHMENT_REMOVED = EventType.of("record.attachment.removed", "record");
    /** An import was accepted (its job does the rest). */
    public static final EventType IMPORT_STARTED = EventType.of("record.import.started", "category", "format", "size", "job");
    /** An import ended: how many rows were imported or rejected (all or nothing). */
    public static final EventType IMPORT_FINISHED = EventType.of("record.import.finished", "category", "imported", "rejected", "job");
    /** A category was created or changed. */
    /** A tenant export was started (by a tenant admin, or an operator without personal data). @since 1.1 */
    public static final EventType EXPORT_STARTED = EventType.of("record.export.started", "encrypted", "job");
    /** A tenant export was written: everything the tenant holds was read into it (counts only). @since 1.1 */
    public static final EventType EXPORTED = EventType.read("record.export.read", "records", "attachments", "users",
            "auditEntries", "personalData", "size", "sha256", "job");
    public static final EventType CATEGORY_DEFINED = EventType.of("record.category.defined", "version");
    /** A category was removed. */
    public static final EventType CATEGORY_REMOVED = EventType.of("record.category.removed");
    /** Counts were read by the platform or an admin. */
    public static final EventType COUNTED = EventType.read("record.count.read", "categories");

    private RecordEvents() {
    }
}
