package dev.mamori.records.internal;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * The records configuration as values.
 *
 * @param maxPayloadBytes    largest payload
 * @param trashPeriod        default trash period
 * @param maxAttachmentBytes largest attachment
 * @param attachmentTypes    media types files may be attached as
 * @param maxImportBytes     largest import file
 * @param exportsPerDay      exports a tenant may start in 24 hours
 */
record Settings(int maxPayloadBytes, Duration trashPeriod, long maxAttachmentBytes, Set<String> attachmentTypes, long maxImportBytes,
        int exportsPerDay) {
    static Settings of(RecordsConfig c) {
        Set<String> types = new TreeSet<>();
        // a .cfg line "a,b" reaches a String[] attribute as one element
        for (String t : String.join(",", c.attachment_types()).split(",")) {
            if (t.isBlank()) {
                continue;
            }
            String base = MediaTypes.base(t);
            if (!MediaTypes.known().contains(base)) {
                // a type this code cannot check is never let through unchecked
                throw new MamoriException(PlatformErrors.INVALID, "dev.mamori.records attachment.types: '" + t + "' cannot be checked; "
                        + "known: " + MediaTypes.known());
            }
            types.add(base);
        }
        return new Settings(c.max_payload_kib() * 1024, Duration.ofDays(c.trash_days()), c.attachment_max_mib() * 1024L * 1024L,
                Set.copyOf(types), c.import_max_mib() * 1024L * 1024L, c.export_per_day());
    }
}
