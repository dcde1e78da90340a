package dev.mamori.vault;

import java.util.List;
import java.util.Objects;

/**
 * What crypto-shredding a tenant destroyed.
 *
 * @param tenantId   the tenant
 * @param dataKeys   data key versions destroyed
 * @param personKeys person keys of the tenant destroyed
 * @param signingKeys signing key versions of the tenant destroyed
 * @param cutOff     the cut-off that followed, which put the destroyed keys out of reach of every
 *                   earlier copy of the key tables (backups included)
 */
public record ShredReport(String tenantId, List<KeyInfo> dataKeys, int personKeys, int signingKeys, KeyCutOff cutOff) {
    /** Validates and copies. */
    public ShredReport {
        Objects.requireNonNull(tenantId, "tenantId");
        dataKeys = List.copyOf(dataKeys);
        Objects.requireNonNull(cutOff, "cutOff");
    }

    /**
     * The report as it was before signing keys (vault 3.1).
     *
     * @param tenantId   the tenant
     * @param dataKeys   data key versions destroyed
     * @param personKeys person keys destroyed
     * @param cutOff     the cut-off that followed
     */
    public ShredReport(String tenantId, List<KeyInfo> dataKeys, int personKeys, KeyCutOff cutOff) {
        this(tenantId, dataKeys, personKeys, 0, cutOff);
    }
}
