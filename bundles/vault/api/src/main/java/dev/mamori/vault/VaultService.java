package dev.mamori.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Envelope encryption with per-tenant, per-purpose data keys (CRY-2, CRY-3). Every call must run
 * inside the tenant context (TenantContext) of the same tenant: the vault refuses to touch
 * another tenant's keys. Sealed (no master key) means every call fails with
 * {@link VaultSealedException}; there is never a plaintext fallback.
 */
@ProviderType
public interface VaultService {

    /**
     * @param tenantId       tenant whose key encrypts (must be the bound tenant)
     * @param purpose        key purpose
     * @param plaintext      data
     * @param associatedData where the blob belongs (tenant, table, row, field): the same bytes are
     *                       needed to decrypt, so a blob moved elsewhere does not decrypt
     * @return self-describing ciphertext
     */
    byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData);

    /**
     * @param tenantId       tenant that owns the blob (must be the bound tenant)
     * @param purpose        key purpose
     * @param blob           what {@link #encrypt} returned
     * @param associatedData the associated data used to encrypt
     * @return plaintext
     * @throws DecryptionFailedException if the blob was changed, moved, or is another tenant's
     */
    byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData);

    /**
     * Streaming encryption in constant memory; close (or finish) the stream to write the last chunk.
     *
     * @return stream that encrypts into {@code sink}
     */
    OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData)
            throws IOException;

    /**
     * @return stream of verified plaintext; fails on any tampering, reordering or truncation
     */
    InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData)
            throws IOException;

    /**
     * Encrypts one person's names and contact data with that person's own key (CRY-4), kept on
     * the separate PII store and used for nothing else, so that erasing the person (IAM-5) is
     * destroying one key.
     *
     * @param tenantId       tenant the person belongs to (must be the bound tenant)
     * @param personId       stable pseudonymous id of the person inside the tenant
     * @param plaintext      data
     * @param associatedData where the blob belongs
     * @return self-describing ciphertext
     */
    byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData);

    /**
     * @return plaintext
     * @throws KeyDestroyedException     if the person's data was erased
     * @throws DecryptionFailedException if the blob is another person's, moved, or changed
     */
    byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData);

    /**
     * Erases one person's personal data everywhere it is encrypted (IAM-5, LEG-3) by destroying
     * the person's key. Irreversible.
     *
     * @param tenantId     tenant (must be the bound tenant)
     * @param personId     person
     * @param confirmation the person id again
     * @return whether a key was destroyed (false if the person never had one)
     */
    boolean erasePerson(String tenantId, String personId, String confirmation);

    /**
     * A keyed blind index (CRY-4): HMAC-SHA256 under a tenant key that is used for nothing else, over a
     * value the caller has normalised, separated by field so that equal values in two fields give
     * different indexes. Lets a capability find a row by a personal value it stores only encrypted.
     * Stable for the tenant's lifetime (the index key is never rotated); gone with the tenant's keys.
     *
     * @param tenantId        tenant (must be the bound tenant)
     * @param field           what the value is, e.g. "user.email" (1-64 chars of a-z 0-9 . _ -)
     * @param normalisedValue the value, normalised by the caller
     * @return 32 bytes
     * @throws VaultException        {@link VaultErrors#INVALID_INDEX_INPUT} if the field is not one or the value is null
     * @throws KeyDestroyedException if the tenant's keys were shredded
     */
    byte[] blindIndex(String tenantId, String field, byte[] normalisedValue);

    /** @return whether the vault can encrypt now, and why not */
    VaultStatus status();
}
