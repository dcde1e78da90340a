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
     * Crypto-shredding: destroys every data key and person key of a DELETED tenant, then runs a
     * {@linkplain #cutOff() cut-off}, which makes all its ciphertext unrecoverable wherever it is,
     * every backup generation included. Irreversible.
     *
     * @param tenantId     tenant id; the tenant must be in state DELETED
     * @param confirmation the tenant id again
     * @return what was destroyed
     */
    ShredReport shredTenant(String tenantId, String confirmation);

    /**
     * Key cut-off: a new master key version, every surviving key re-wrapped under it, a fresh key
     * escrow written, then every older master key version destroyed. Afterwards no copy of the key
     * tables taken earlier (database backups, old escrows) unwraps anything, so every key destroyed
     * before — shredded tenants, erased persons — is out of reach of every backup generation. Runs
     * after every shredding at once, and after person erasures within the configured interval.
     *
     * @return what was done
     * @throws VaultException code {@code cutoff-unsupported} if the key provider cannot destroy
     *                        master key versions; nothing is destroyed then
     */
    KeyCutOff cutOff();

    /**
     * After a database backup taken before a cut-off was restored: takes the wrapped keys from the
     * key escrow the latest cut-off wrote, for every key whose master key version is gone. Never
     * brings back a destroyed key: the escrow holds only keys that survived the cut-off. Keys under
     * a master key version the escrow lists as destroyed are marked destroyed; keys under a version
     * nobody knows are left alone.
     *
     * @param escrow escrow file written by the latest {@link #cutOff()}
     * @param apply  false to only report what would change
     * @return what was (or would be) restored
     * @throws VaultException code {@code escrow-invalid} if the file is not a readable key escrow,
     *                        {@code escrow-stale} if it was written under a master key version the
     *                        key provider does not hold (an older escrow, another installation)
     */
    KeyRestoreReport restoreKeys(java.nio.file.Path escrow, boolean apply);

    /**
     * Starts (or resumes) re-encrypting a tenant's data of one purpose under the current data key
     * version, in the background, through every registered
     * {@link dev.mamori.vault.spi.ReEncryptionParticipant} holding such data. When all are done,
     * the older versions are archived: kept for restoring older backups (and still decrypting, with
     * a warning, should anything have been missed), destroyed once those backups have expired.
     *
     * @param tenantId tenant id
     * @param purpose  purpose
     * @return the job
     * @throws VaultException code {@code nothing-to-retire} if there is no older version,
     *                        {@code no-participants} if no component declares such data,
     *                        {@code participants-missing} if a component that held such data before
     *                        is not running, {@code duplicate-participant} if two share a name
     */
    ReEncryptionJob reEncrypt(String tenantId, KeyPurpose purpose);

    /**
     * @param jobId a RUNNING or FAILED job
     * @return the job, CANCELLED; nothing is archived, the data stays readable
     * @throws VaultException code {@code no-such-job}, or {@code job-finished} if it is DONE or CANCELLED
     */
    ReEncryptionJob cancelReEncryption(String jobId);

    /**
     * @param purpose a purpose
     * @return every component ever seen holding ciphertext of that purpose, with whether it runs now
     */
    List<ParticipantInfo> participants(KeyPurpose purpose);

    /**
     * Forgets a component that was uninstalled for good, so re-encryptions no longer wait for it.
     *
     * @param name    participant name
     * @param purpose purpose
     * @return whether it was known
     * @throws VaultException code {@code participant-running} if it is running now
     */
    boolean forgetParticipant(String name, KeyPurpose purpose);

    /** @return every re-encryption job, newest first */
    List<ReEncryptionJob> reEncryptionJobs();

    /**
     * @param tenantId tenant id
     * @return the tenant's data key versions, no key material
     */
    List<KeyInfo> keys(String tenantId);

    /**
     * New signing key version for an owner and purpose: new signatures use it, the previous version
     * is RETIRED and keeps verifying (its public key stays exportable). Older versions are never
     * destroyed by a rotation, only by shredding the tenant.
     *
     * @param owner   a tenant id, or {@link VaultSigner#PLATFORM}
     * @param purpose purpose
     * @return the new version's public key
     * @throws VaultException code {@code no-signing-key} if the owner never signed for the purpose
     */
    SigningPublicKey rotateSigningKey(String owner, SigningPurpose purpose);

    /**
     * @param owner a tenant id, or {@link VaultSigner#PLATFORM}
     * @return every signing key version that still verifies, by purpose and version, each public key
     *         authenticated under the master key; no private key material
     */
    List<SigningPublicKey> signingKeys(String owner);
}
