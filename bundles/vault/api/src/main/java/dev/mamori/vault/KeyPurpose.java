package dev.mamori.vault;

import java.util.Locale;

/**
 * What a data key (DEK) is for. Each tenant has one DEK per purpose (each with versions), so
 * that, for example, backups can be re-keyed or shredded independently of live records, and a
 * key that leaks from one kind of use does not open the others.
 */
public enum KeyPurpose {
    /** Encrypted fields of database records (CRY-2). */
    RECORDS,
    /** Attachment files, encrypted as streams (CRY-2). */
    ATTACHMENTS,
    /** Backup archives, encrypted as streams (CRY-5). */
    BACKUP,
    /** Sensitive parts of the audit trail. */
    AUDIT;

    /** @return the lower-case name used in configuration, commands and events ({@code "records"}) */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a purpose id as returned by {@link #id()}, in any case
     * @return the purpose
     * @throws IllegalArgumentException if there is no such purpose
     */
    public static KeyPurpose fromId(String id) {
        for (KeyPurpose p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown key purpose '" + id + "'.");
    }
}
