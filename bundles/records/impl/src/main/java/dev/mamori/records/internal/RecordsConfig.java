package dev.mamori.records.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Records configuration (PID {@value #PID}). */
@ObjectClassDefinition(name = "Mamori records", description = "Tenant records: sizes, the trash period.")
public @interface RecordsConfig {
    /** The PID. */
    String PID = "dev.mamori.records";

    /** @return KiB */
    @AttributeDefinition(description = "Largest record payload in KiB (UTF-8 JSON); a bigger one is refused with 413.", min = "1",
            max = "4096")
    int max_payload_kib() default 256;

    /** @return days */
    @AttributeDefinition(description = "Days a deleted record stays in the trash before the automatic purge, unless the tenant "
            + "sets records.trash.days (1-365) (RET-2).", min = "1", max = "365")
    int trash_days() default 30;

    /** @return MiB */
    @AttributeDefinition(description = "Largest attachment in MiB; a bigger one is refused with 413 and nothing is kept. The REST "
            + "upload is also bounded by dev.mamori.rest max.body.bytes.ceiling.", min = "1", max = "1024")
    int attachment_max_mib() default 20;

    /** @return media types */
    @AttributeDefinition(description = "Media types files may be attached as, each checked against the file's first bytes: "
            + "application/pdf, image/png, image/jpeg, image/gif, application/zip, text/plain, text/csv.")
    String[] attachment_types() default {"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv"};

    /** @return MiB */
    @AttributeDefinition(description = "Largest import file in MiB (CSV or JSON Lines); a bigger one is refused with 413.", min = "1",
            max = "1024")
    int import_max_mib() default 32;

    /** @return exports */
    @AttributeDefinition(description = "Exports a tenant may start in 24 hours (each can be the size of everything the tenant holds "
            + "and is kept as a job artifact for its lifetime): past it, 429.", min = "1", max = "100")
    int export_per_day() default 4;
}
