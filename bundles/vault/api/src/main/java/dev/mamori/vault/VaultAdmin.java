package dev.mamori.vault;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator operations on the key hierarchy (CRY-3). Not tenant-bound: reached only from
 * operator surfaces. Every method fails with {@link VaultSealedException} while sealed.
 */
@ProviderType
public interface VaultAdmin {

    /**
     * Online master-key rotation: a new master key version, then every data key re-wrapped with
     * it. No data is re-encrypted; requests keep working throughout.
     *
     * @return the new master key id and how many data keys were re-wrapped, e.g. {@code kek-2-… 42}
     */
    String rotateMaster();

    /**
     * New data key version for a tenant and purpose: new writes use it, old versions keep
     * decrypting (RETIRED).
     *
     * @param tenantId tenant id
     * @param purpose  purpose
     * @return the new version
     */
    KeyInfo rotateTenantKey(String tenantId, KeyPurpose purpose);

    /**
     * Crypto-shredding: destroys every data key of a DELETED tenant, which makes all its
     * ciphertext unrecoverable wherever it is. Irreversible.
     *
     * @param tenantId     tenant id; the tenant must be in state DELETED
     * @param confirmation the tenant id again
     * @return what was destroyed
     */
    List<KeyInfo> shredTenant(String tenantId, String confirmation);

    /**
     * @param tenantId tenant id
     * @return the tenant's data key versions, no key material
     */
    List<KeyInfo> keys(String tenantId);
}
