package dev.mamori.vault.spi;

import org.osgi.annotation.versioning.ConsumerType;

import dev.mamori.vault.KeyPurpose;

/**
 * Implemented by every component that stores vault ciphertext, so that a background
 * re-encryption can move a tenant's data to the current data key version and then retire the
 * older versions for good. Register as an OSGi service (whiteboard).
 *
 * <p>The vault calls {@link #reEncrypt} repeatedly, in the tenant's context, each time with the
 * cursor the previous call returned (null at first), and stores that cursor after every batch:
 * a restart resumes from the last stored cursor. Each batch must be one transaction of its own,
 * so a crash never leaves a half-written batch; re-encrypting a blob twice is harmless.
 */
@ConsumerType
public interface ReEncryptionParticipant {

    /** @return stable name of the component, for progress records ("records", "attachments") */
    String name();

    /**
     * @param purpose a key purpose
     * @return whether this component stores ciphertext encrypted for that purpose
     */
    boolean holds(KeyPurpose purpose);

    /**
     * Re-encrypts the next batch of the tenant's blobs of this purpose.
     *
     * @param tenantId   tenant (bound on the calling thread)
     * @param purpose    purpose
     * @param cursor     where the previous batch ended, null for the first call
     * @param batchSize  how many blobs to look at, at most
     * @param reEncryptor decrypts with any live version and encrypts under the current one
     * @return where this batch ended and how many blobs it re-encrypted; a null next cursor means
     *         nothing is left
     */
    ReEncryptionBatch reEncrypt(String tenantId, KeyPurpose purpose, String cursor, int batchSize,
            ReEncryptor reEncryptor);
}
