package dev.mamori.vault.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.Constants;

import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.internal.JobServiceImpl;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSigner;
import dev.mamori.vault.VaultAdmin;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * The vault's components wired by hand as Declarative Services wires them in the container, with
 * the real job service, behind one object that is both {@link VaultService} and {@link VaultAdmin}.
 */
final class TestVault implements VaultService, VaultAdmin {
    final VaultKeys keys;
    final SigningKeys signing;
    final VaultServiceImpl service;
    final CutOffs cutOffs;
    final KeyLifecycle lifecycle;
    final ReEncryptionJobs reEncryptions;
    final VaultMaintenance maintenance;
    final VaultAdminImpl admin;
    final JobServiceImpl jobs;

    TestVault(VaultStores stores, DataSource ds, TenantContext context, TenantService tenants, EventPublisher events,
            VaultSettings settings) {
        keys = new VaultKeys(stores, context, events);
        keys.clock = Clock.systemUTC();
        service = new VaultServiceImpl(keys);
        signing = new SigningKeys(keys);
        cutOffs = new CutOffs(keys, settings);
        lifecycle = new KeyLifecycle(keys, signing, cutOffs, tenants, settings);
        jobs = JobServiceImpl.standalone(ds, events, Clock.systemUTC(), "test-node-" + System.identityHashCode(this),
                Duration.ofMillis(50), Duration.ofSeconds(60));
        reEncryptions = new ReEncryptionJobs(keys, lifecycle, service, jobs, context, tenants, settings);
        maintenance = new VaultMaintenance(keys, lifecycle, cutOffs);
        admin = new VaultAdminImpl(keys, lifecycle, cutOffs, reEncryptions, signing);
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, 1L);
        jobs.bindHandler(reEncryptions, props);
        // the tenant bundle's side of jobs: a re-encryption's steps run in its tenant through the tenant context
        jobs.tenantDirectory(new dev.mamori.platform.job.JobTenants() {
            @Override
            public java.util.List<String> tenantIds() {
                return java.util.List.of();
            }

            @Override
            public <T> T inTenant(String tenantId, java.util.function.Supplier<T> work) {
                return context.callAsPlatform(tenantId, dev.mamori.platform.context.PlatformPurpose.of("jobs.run", "test"), work);
            }
        });
    }

    /** @return the {@link VaultSigner} a bundle declaring {@code purposes} gets */
    VaultSigner signer(String... purposes) {
        return new VaultSignerImpl(signing, java.util.Arrays.stream(purposes).map(SigningPurpose::of)
                .collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Job calls are scoped by the caller (the job service sees no job without a principal): the
     * re-encryption commands run as an operator at the shell, unless the test bound a context itself.
     */
    static <T> T asOperator(java.util.function.Supplier<T> work) {
        if (dev.mamori.platform.context.ExecutionContext.current().flatMap(c -> c.principal()).isPresent()) {
            return work.get();
        }
        return dev.mamori.platform.context.ExecutionContext.builder(dev.mamori.platform.context.Channel.SHELL)
                .principal(dev.mamori.platform.context.Principal.operator("test-operator", java.util.Set.of("operator")))
                .build().call(work);
    }

    void startJobs() {
        jobs.start();
    }

    void deactivate() {
        jobs.deactivate();
    }

    void clock(Clock clock) {
        keys.clock = clock;
    }

    void bindProvider(KeyProvider p) {
        keys.bindKeyProvider(p);
    }

    void unbindProvider(KeyProvider p) {
        keys.unbindKeyProvider(p);
    }

    void bindParticipant(ReEncryptionParticipant p) {
        reEncryptions.bindParticipant(p);
    }

    void unbindParticipant(ReEncryptionParticipant p) {
        reEncryptions.unbindParticipant(p);
    }

    /** What the scheduled maintenance job does; its failures are recorded on the job, not thrown. */
    void maintain() {
        try {
            maintenance.maintain();
        } catch (RuntimeException e) {
            // the job service records a failed run; the test checks the effects
        }
    }

    boolean cutOffPending() {
        return cutOffs.cutOffPending();
    }

    ReEncryptor reEncryptor(String tenantId, KeyPurpose purpose, int target) {
        return lifecycle.reEncryptor(service, tenantId, purpose, target);
    }

    int destroyExpiredArchives() {
        return lifecycle.destroyExpiredArchives();
    }

    @Override
    public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
        return service.encrypt(tenantId, purpose, plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
        return service.decrypt(tenantId, purpose, blob, associatedData);
    }

    @Override
    public OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData)
            throws IOException {
        return service.encryptingStream(tenantId, purpose, sink, associatedData);
    }

    @Override
    public InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData)
            throws IOException {
        return service.decryptingStream(tenantId, purpose, source, associatedData);
    }

    @Override
    public byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData) {
        return service.encryptPersonal(tenantId, personId, plaintext, associatedData);
    }

    @Override
    public byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData) {
        return service.decryptPersonal(tenantId, personId, blob, associatedData);
    }

    @Override
    public boolean erasePerson(String tenantId, String personId, String confirmation) {
        return service.erasePerson(tenantId, personId, confirmation);
    }

    @Override
    public byte[] blindIndex(String tenantId, String field, byte[] normalisedValue) {
        return service.blindIndex(tenantId, field, normalisedValue);
    }

    @Override
    public VaultStatus status() {
        return service.status();
    }

    @Override
    public String rotateMaster() {
        return admin.rotateMaster();
    }

    @Override
    public KeyInfo rotateTenantKey(String tenantId, KeyPurpose purpose) {
        return admin.rotateTenantKey(tenantId, purpose);
    }

    @Override
    public ShredReport shredTenant(String tenantId, String confirmation) {
        return admin.shredTenant(tenantId, confirmation);
    }

    @Override
    public KeyCutOff cutOff() {
        return admin.cutOff();
    }

    @Override
    public KeyRestoreReport restoreKeys(Path escrow, boolean apply) {
        return admin.restoreKeys(escrow, apply);
    }

    @Override
    public ReEncryptionJob reEncrypt(String tenantId, KeyPurpose purpose) {
        return asOperator(() -> admin.reEncrypt(tenantId, purpose));
    }

    @Override
    public ReEncryptionJob cancelReEncryption(String jobId) {
        return asOperator(() -> admin.cancelReEncryption(jobId));
    }

    @Override
    public List<ParticipantInfo> participants(KeyPurpose purpose) {
        return admin.participants(purpose);
    }

    @Override
    public boolean forgetParticipant(String name, KeyPurpose purpose) {
        return admin.forgetParticipant(name, purpose);
    }

    @Override
    public List<ReEncryptionJob> reEncryptionJobs() {
        return asOperator(admin::reEncryptionJobs);
    }

    @Override
    public List<KeyInfo> keys(String tenantId) {
        return admin.keys(tenantId);
    }

    @Override
    public SigningPublicKey rotateSigningKey(String owner, SigningPurpose purpose) {
        return admin.rotateSigningKey(owner, purpose);
    }

    @Override
    public List<SigningPublicKey> signingKeys(String owner) {
        return admin.signingKeys(owner);
    }
}
