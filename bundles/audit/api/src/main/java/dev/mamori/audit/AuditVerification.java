package dev.mamori.audit;

/**
 * What a verification of a log found.
 *
 * @param log         a tenant id, or {@link AuditService#PLATFORM_LOG}
 * @param ok          whether every entry and checkpoint checked out
 * @param entries     entries checked
 * @param checkpoints checkpoints checked
 * @param size        the size checked
 * @param root        base64 root hash of what was checked
 * @param position    the first bad position (-1 when ok)
 * @param damage      the kind of damage: EDITED, DELETED, INSERTED, REORDERED, TRUNCATED or CHECKPOINT_FORGED (null when ok)
 * @param message     one line saying what was found
 */
public record AuditVerification(String log, boolean ok, long entries, long checkpoints, long size, String root, long position,
        String damage, String message) {
}
