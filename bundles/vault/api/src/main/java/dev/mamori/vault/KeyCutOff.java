package dev.mamori.vault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Result of a key cut-off: every surviving data and person key re-wrapped under a new master key
 * version, a fresh key escrow written, then every older master key version destroyed. Copies of
 * the key tables taken before (database backups, old escrows) can then no longer unwrap anything,
 * so keys destroyed before the cut-off are gone from every backup generation too (CRY-5, RET-3).
 *
 * @param kekId           master key version now current
 * @param destroyedKekIds master key versions destroyed
 * @param rewrapped       data and person keys re-wrapped under {@code kekId}
 * @param escrow          where the key escrow was written (restores older backups, see
 *                        {@link VaultAdmin#restoreKeys})
 * @param at              when
 */
public record KeyCutOff(String kekId, List<String> destroyedKekIds, int rewrapped, String escrow, Instant at) {
    /** Validates and copies. */
    public KeyCutOff {
        Objects.requireNonNull(kekId, "kekId");
        destroyedKekIds = List.copyOf(destroyedKekIds);
        Objects.requireNonNull(escrow, "escrow");
        Objects.requireNonNull(at, "at");
    }
}
