package dev.mamori.records.rest.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.core.EntityTag;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;

/** A record's version as its strong ETag ({@code "3"}), and the If-Match a change must send back. */
final class Versions {
    private static final Pattern TAG = Pattern.compile("\\s*\"(\\d{1,18})\"\\s*");

    private Versions() {
    }

    static EntityTag tag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * @param ifMatch the header
     * @return the version it names
     * @throws MamoriException 428 when absent, 412 when it names no version of ours (a weak or foreign tag, '*')
     */
    static long required(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new MamoriException(RecordErrors.VERSION_REQUIRED, "Send If-Match with the ETag of the version you read "
                    + "(GET the record first), so that nobody's change is overwritten unseen.");
        }
        Matcher m = TAG.matcher(ifMatch);
        if (!m.matches()) {
            throw new MamoriException(RecordErrors.VERSION_MISMATCH, "If-Match must be one strong ETag this API gave, e.g. \"3\".");
        }
        return Long.parseLong(m.group(1));
    }
}
