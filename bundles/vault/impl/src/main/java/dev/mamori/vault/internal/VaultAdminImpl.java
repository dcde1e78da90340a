package dev.mamori.vault.internal;

import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultAdmin;

/** The operator side of the vault: one entry point over the components that do the work. */
@Component(service = VaultAdmin.class, configurationPid = VaultKeys.PID)
@Designate(ocd = VaultSettings.Config.class)
public class VaultAdminImpl implements VaultAdmin {
    private final VaultKeys keys;
    private final KeyLifecycle lifecycle;
    private final CutOffs cutOffs;
    private final ReEncryptionJobs reEncryptions;
    private final SigningKeys signing;

    /**
     * @param keys          the key holder
     * @param lifecycle     rotation, shredding, versions
     * @param cutOffs       master keys, cut-offs, restore
     * @param reEncryptions re-encryption jobs
     * @param signing       signing keys
     */
    @Activate
    public VaultAdminImpl(@Reference VaultKeys keys, @Reference KeyLifecycle lifecycle, @Reference CutOffs cutOffs,
            @Reference ReEncryptionJobs reEncryptions, @Reference SigningKeys signing) {
        this.keys = keys;
        this.lifecycle = lifecycle;
        this.cutOffs = cutOffs;
        this.reEncryptions = reEncryptions;
        this.signing = signing;
    }

    @Override
    public String rotateMaster() {
        return cutOffs.rotateMaster();
    }

    @Override
    public KeyInfo rotateTenantKey(String tenantId, KeyPurpose purpose) {
        return lifecycle.rotateTenantKey(tenantId, purpose);
    }

    @Override
    public ShredReport shredTenant(String tenantId, String confirmation) {
        return lifecycle.shredTenant(tenantId, confirmation);
    }

    @Override
    public KeyCutOff cutOff() {
        return cutOffs.cutOff();
    }

    @Override
    public KeyRestoreReport restoreKeys(Path escrow, boolean apply) {
        return cutOffs.restoreKeys(escrow, apply);
    }

    @Override
    public ReEncryptionJob reEncrypt(String tenantId, KeyPurpose purpose) {
        return reEncryptions.start(tenantId, purpose);
    }

    @Override
    public ReEncryptionJob cancelReEncryption(String jobId) {
        keys.unsealed();
        return reEncryptions.cancel(jobId);
    }

    @Override
    public List<ParticipantInfo> participants(KeyPurpose purpose) {
        return reEncryptions.participantInfo(purpose);
    }

    @Override
    public boolean forgetParticipant(String name, KeyPurpose purpose) {
        return reEncryptions.forget(name, purpose);
    }

    @Override
    public List<ReEncryptionJob> reEncryptionJobs() {
        return reEncryptions.list();
    }

    @Override
    public List<KeyInfo> keys(String tenantId) {
        return lifecycle.keys(tenantId);
    }

    @Override
    public SigningPublicKey rotateSigningKey(String owner, SigningPurpose purpose) {
        return signing.rotate(owner, purpose);
    }

    @Override
    public List<SigningPublicKey> signingKeys(String owner) {
        return signing.allPublicKeys(owner);
    }
}
