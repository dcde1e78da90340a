package dev.mamori.artifacts.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * Job artifacts hold ciphertext under the tenants' attachments keys: a re-encryption of that
 * purpose walks them too, so that retiring an old key version never leaves an artifact unreadable.
 */
@Component(service = ReEncryptionParticipant.class)
public class ArtifactReEncryption implements ReEncryptionParticipant {
    private final ArtifactStoreImpl store;

    /** @param store the artifact store */
    @Activate
    public ArtifactReEncryption(@Reference ArtifactStoreImpl store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "job-artifacts";
    }

    @Override
    public boolean holds(KeyPurpose purpose) {
        return purpose == KeyPurpose.ATTACHMENTS;
    }

    @Override
    public ReEncryptionBatch reEncrypt(String tenantId, KeyPurpose purpose, String cursor, int batchSize, ReEncryptor reEncryptor) {
        return store.reEncrypt(tenantId, cursor, batchSize, reEncryptor);
    }
}
