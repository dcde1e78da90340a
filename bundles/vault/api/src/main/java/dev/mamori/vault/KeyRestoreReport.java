package dev.mamori.vault;

/**
 * Outcome of restoring keys from a key escrow after a database backup was restored.
 *
 * @param restored      keys whose wrapped form was taken from the escrow (missing, or wrapped under a
 *                      destroyed master key version in the restored tables)
 * @param unchanged     keys already usable, left as they were
 * @param unrecoverable keys in the restored tables that the escrow does not hold and whose master key
 *                      version is destroyed: destroyed before the escrow's cut-off; now marked destroyed
 */
public record KeyRestoreReport(int restored, int unchanged, int unrecoverable) {
}
