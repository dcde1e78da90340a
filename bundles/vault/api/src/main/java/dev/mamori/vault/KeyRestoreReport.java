package dev.mamori.vault;

/**
 * Outcome of restoring keys from a key escrow after a database backup was restored.
 *
 * @param restored      keys whose wrapped form was taken from the escrow (missing, or wrapped under a
 *                      destroyed master key version in the restored tables)
 * @param unchanged     keys already usable, left as they were
 * @param unrecoverable keys in the restored tables that the escrow does not hold and whose master key
 *                      version the escrow lists as destroyed: destroyed before the cut-off; marked
 *                      destroyed when applied
 * @param unknown       keys under a master key version that is neither held nor listed as destroyed
 *                      (another installation's, or a newer escrow exists): left alone
 * @param applied       whether the changes were made, or only reported (dry run)
 */
public record KeyRestoreReport(int restored, int unchanged, int unrecoverable, int unknown, boolean applied) {
}
