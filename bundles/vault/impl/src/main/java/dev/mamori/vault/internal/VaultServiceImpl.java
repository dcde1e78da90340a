package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.mamori.platform.config.Placeholders;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.jpa.TenantTransactions;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultAdmin;
import dev.mamori.vault.VaultEvent;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.VaultStatus;
import dev.mamori.vault.internal.crypto.DataKey;
import dev.mamori.vault.internal.crypto.Envelope;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.SecureFiles;
import dev.mamori.vault.internal.crypto.Zeroize;
import dev.mamori.vault.internal.crypto.StreamCipher;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.ReEncryptionParticipant;
import dev.mamori.vault.spi.ReEncryptor;
import dev.mamori.vault.spi.VaultEventListener;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The vault: data keys per tenant and purpose, created on first use, persisted only wrapped by
 * the master key, cached unwrapped in memory while a key provider is bound. Without one the
 * vault is sealed and fails closed.
 */
@Component(service = {VaultService.class, VaultAdmin.class, HealthCheck.class}, configurationPid = VaultServiceImpl.PID)
@Designate(ocd = VaultServiceImpl.Config.class)
public class VaultServiceImpl implements VaultService, VaultAdmin, HealthCheck {
    static final String PID = "dev.mamori.vault";
    static final String ACTIVE = "ACTIVE";
    static final String RETIRED = "RETIRED";
    static final String ARCHIVED = "ARCHIVED";
    static final String DESTROYED = "DESTROYED";
    private static final Logger LOG = LoggerFactory.getLogger(VaultServiceImpl.class);

    /** An unwrapped key and whom it belongs to. */
    private static final class Owned {
        final DataKey key;
        final String tenantId;
        final KeyPurpose purpose;

        Owned(DataKey key, String tenantId, KeyPurpose purpose) {
            this.key = key;
            this.tenantId = tenantId;
            this.purpose = purpose;
        }
    }

    /** Vault configuration (PID dev.mamori.vault). */
    @ObjectClassDefinition(name = "Mamori vault", description = "Data keys, cut-offs and re-encryption.")
    public @interface Config {
        /** @return escrow file */
        @AttributeDefinition(description = "Key escrow written by every cut-off (keys wrapped, never in clear).")
        String escrow_file() default "${karaf.data}/mamori/vault/key-escrow";

        /** @return minutes */
        @AttributeDefinition(description = "How often to run the cut-off that person erasures still need, and to "
                + "destroy expired archived keys, in minutes. Each cut-off makes keystore copies taken before it "
                + "useless, so copy the keystore after each one.", min = "1")
        int cutoff_interval_minutes() default 1440;

        /** @return batch */
        @AttributeDefinition(description = "Blobs per re-encryption batch (one transaction each).", min = "1")
        int reencrypt_batch() default 500;

        /** @return days */
        @AttributeDefinition(description = "How long a version archived by re-encryption is kept for restoring older "
                + "backups, in days; longer than the oldest backup generation (6 months).", min = "1")
        int archived_retention_days() default 200;

        /** @return second escrow file */
        @AttributeDefinition(description = "A second place for the key escrow (another disk or a mounted backup "
                + "volume); empty for none. It holds only wrapped keys.", required = false)
        String escrow_copy() default "";
    }

    /** The configuration as plain values, so tests need no annotation instance. */
    record Settings(Path escrow, int cutOffIntervalMinutes, int reEncryptBatch, int archivedRetentionDays, Path escrowCopy) {
        Settings(Path escrow, int cutOffIntervalMinutes, int reEncryptBatch, int archivedRetentionDays) {
            this(escrow, cutOffIntervalMinutes, reEncryptBatch, archivedRetentionDays, null);
        }

        static Settings of(Config c) {
            String copy = c.escrow_copy() == null ? "" : c.escrow_copy().trim();
            return new Settings(Paths.get(Placeholders.expand(c.escrow_file())), c.cutoff_interval_minutes(),
                    c.reencrypt_batch(), c.archived_retention_days(), copy.isEmpty() ? null : Paths.get(Placeholders.expand(copy)));
        }
    }

    private static final java.util.regex.Pattern PERSON = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private final EntityManagerFactory emf;
    private final EntityManagerFactory piiEmf;
    private final TenantContext context;
    private final Map<String, Owned> persons = new ConcurrentHashMap<>();
    private final TenantService tenants;
    private final Map<String, Owned> current = new ConcurrentHashMap<>();
    private final Map<KeyRef, Owned> byRef = new ConcurrentHashMap<>();
    /** When each archived key was last found in use (and its end postponed); at most once an hour each. */
    private final Map<KeyRef, Long> archivedSeen = new ConcurrentHashMap<>();
    /** Tenants shredded in this run: a decrypt that loaded a key just before must not cache it after. */
    private final java.util.Set<String> shredded = ConcurrentHashMap.newKeySet();
    private final Settings settings;
    final ReEncryptions reEncryptions;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    private volatile KeyProvider provider;
    final List<ReEncryptionParticipant> participants = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = VaultEventListener.class)
    final List<VaultEventListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param emf        the vault's persistence unit
     * @param dataSource the same database, for migrations
     * @param piiEmf        the vault's unit on the PII store
     * @param piiDataSource the PII store, for migrations
     * @param context    the tenant context every call must run in
     * @param tenants    tenant states (shredding is for DELETED tenants only)
     */
    @Activate
    public VaultServiceImpl(@Reference(target = "(osgi.unit.name=mamori-vault)") EntityManagerFactory emf,
            @Reference(target = "(osgi.jndi.service.name=mamori)") DataSource dataSource,
            @Reference(target = "(osgi.unit.name=mamori-vault-pii)") EntityManagerFactory piiEmf,
            @Reference(target = "(osgi.jndi.service.name=mamori-pii)") DataSource piiDataSource,
            @Reference TenantContext context, @Reference TenantService tenants, Config config) {
        this(emf, dataSource, piiEmf, piiDataSource, context, tenants, Settings.of(config));
    }

    VaultServiceImpl(EntityManagerFactory emf, DataSource dataSource, EntityManagerFactory piiEmf, DataSource piiDataSource,
            TenantContext context, TenantService tenants, Settings settings) {
        Migrations.migrate(dataSource, VaultServiceImpl.class, "dev/mamori/vault/db", "mamori_schema_vault");
        Migrations.migrate(piiDataSource, VaultServiceImpl.class, "dev/mamori/vault/piidb", "mamori_schema_vault_pii");
        this.emf = emf;
        this.piiEmf = piiEmf;
        this.context = context;
        this.tenants = tenants;
        this.settings = settings;
        this.reEncryptions = new ReEncryptions(this, context, settings.reEncryptBatch());
        maintenance.scheduleWithFixedDelay(this::maintain, settings.cutOffIntervalMinutes(),
                settings.cutOffIntervalMinutes(), TimeUnit.MINUTES);
    }

    @Deactivate
    void deactivate() {
        // a batch under way finishes (its job stays RUNNING and resumes at the next start)
        reEncryptions.stop();
        jobs.shutdown();
        maintenance.shutdown();
        try {
            if (!jobs.awaitTermination(20, TimeUnit.SECONDS) | !maintenance.awaitTermination(20, TimeUnit.SECONDS)) {
                jobs.shutdownNow();
                maintenance.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Re-encryption batches, one per task, so no job holds the thread for long. */
    final ScheduledExecutorService jobs = daemon("mamori-vault-jobs");
    /** Cut-offs and archive expiry: never waits behind a long re-encryption. */
    final ScheduledExecutorService maintenance = daemon("mamori-vault-maintenance");

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(KeyProvider p) {
        forgetKeys();
        provider = p;
        emit(VaultEvent.Operation.UNSEALED, null, null, p.available() ? p.currentKekId() : null);
        if (reEncryptions != null) {
            reEncryptions.resumeAll();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindParticipant(ReEncryptionParticipant participant) {
        participants.add(participant);
        if (reEncryptions != null) {
            reEncryptions.joined(participant);
        }
    }

    void unbindParticipant(ReEncryptionParticipant participant) {
        participants.remove(participant);
    }

    void unbindProvider(KeyProvider p) {
        if (provider == p) {
            provider = null;
            forgetKeys();
            emit(VaultEvent.Operation.SEALED, null, null, null);
        }
    }

    void emit(VaultEvent.Operation op, String tenantId, KeyRef ref, String kekId) {
        VaultEvent event = new VaultEvent(op, tenantId, ref == null ? null : ref.keyId().toString(),
                ref == null ? 0 : ref.version(), kekId, actor(), clock == null ? Instant.now() : clock.instant());
        for (VaultEventListener l : listeners) {
            try {
                l.onVaultEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Vault event listener {} failed on {}", l.getClass().getName(), event, e);
            }
        }
    }

    /** The operator behind a shell call (Karaf runs commands as a JAAS subject), else the system. */
    private static String actor() {
        javax.security.auth.Subject subject = javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
        if (subject != null) {
            for (java.security.Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                    return p.getName();
                }
            }
        }
        return "system";
    }

    private void forgetKeys() {
        // unwrapped keys must not outlive the master key they were unwrapped with
        current.clear();
        byRef.clear();
        persons.clear();
    }

    @Override
    public byte[] encrypt(String tenantId, KeyPurpose purpose, byte[] plaintext, byte[] associatedData) {
        return Envelope.encrypt(currentKey(tenantId, purpose).key, plaintext, associatedData);
    }

    @Override
    public byte[] decrypt(String tenantId, KeyPurpose purpose, byte[] blob, byte[] associatedData) {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        return Envelope.decrypt(ref -> resolve(tenantId, purpose, ref, p), blob, associatedData);
    }

    @Override
    public OutputStream encryptingStream(String tenantId, KeyPurpose purpose, OutputStream sink, byte[] associatedData)
            throws IOException {
        return StreamCipher.encrypt(currentKey(tenantId, purpose).key, sink, associatedData);
    }

    @Override
    public InputStream decryptingStream(String tenantId, KeyPurpose purpose, InputStream source, byte[] associatedData)
            throws IOException {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        return StreamCipher.decrypt(ref -> resolve(tenantId, purpose, ref, p), source, associatedData);
    }

    @Override
    public byte[] encryptPersonal(String tenantId, String personId, byte[] plaintext, byte[] associatedData) {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        checkPerson(personId);
        return Envelope.encrypt(personKey(tenantId, personId, p).key, plaintext, associatedData);
    }

    @Override
    public byte[] decryptPersonal(String tenantId, String personId, byte[] blob, byte[] associatedData) {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        checkPerson(personId);
        return Envelope.decrypt(ref -> {
            Owned cached = persons.get(tenantId + '|' + personId);
            if (cached != null && cached.key.ref().equals(ref)) {
                return cached.key;
            }
            PersonKeyEntity row = piiTx(em -> em.find(PersonKeyEntity.class, ref.keyId().toString()));
            if (row == null) {
                throw new UnknownKeyException("No person key " + ref + ".");
            }
            if (!row.tenantId.equals(tenantId) || !row.personId.equals(personId)) {
                throw new DecryptionFailedException("The ciphertext does not decrypt for this person.");
            }
            if (DESTROYED.equals(row.state)) {
                throw new KeyDestroyedException("This person's data was erased; it cannot be recovered.");
            }
            return unwrapPerson(row, p).key;
        }, blob, associatedData);
    }

    @Override
    public synchronized boolean erasePerson(String tenantId, String personId, String confirmation) {
        unsealed();
        checkTenant(tenantId);
        checkPerson(personId);
        if (!personId.equals(confirmation)) {
            throw new VaultException("erase-not-confirmed", "Erasure needs the person id repeated as confirmation; nothing erased.");
        }
        long now = clock.millis();
        Optional<PersonKeyEntity> erased = piiTx(em -> personRow(em, tenantId, personId).filter(r -> !DESTROYED.equals(r.state))
                .map(r -> {
                    r.destroy(now, false);
                    return r;
                }));
        persons.remove(tenantId + '|' + personId);
        erased.ifPresent(r -> emit(VaultEvent.Operation.PERSON_KEY_DESTROYED, tenantId,
                new KeyRef(UUID.fromString(r.keyId), 1), null));
        return erased.isPresent();
    }

    private static void checkPerson(String personId) {
        if (personId == null || !PERSON.matcher(personId).matches()) {
            throw new VaultException("invalid-person", "A person id is 1-64 characters of letters, digits, '.', '-', '_'.");
        }
    }

    private static Optional<PersonKeyEntity> personRow(javax.persistence.EntityManager em, String tenantId, String personId) {
        return em.createQuery("SELECT k FROM PersonKey k WHERE k.tenantId = :t AND k.personId = :p", PersonKeyEntity.class)
                .setParameter("t", tenantId).setParameter("p", personId).getResultList().stream().findFirst();
    }

    private Owned personKey(String tenantId, String personId, KeyProvider p) {
        String slot = tenantId + '|' + personId;
        Owned cached = persons.get(slot);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = persons.get(slot);
            if (cached != null) {
                return cached;
            }
            Optional<PersonKeyEntity> row = piiTx(em -> personRow(em, tenantId, personId));
            if (row.isPresent() && DESTROYED.equals(row.get().state)) {
                throw new KeyDestroyedException("This person's data was erased; new personal data needs a new person id.");
            }
            Owned key = row.map(r -> unwrapPerson(r, p)).orElseGet(() -> {
                DataKey created = DataKey.generate(KeyRef.random());
                WrappedKey wrapped = created.wrapWith(p);
                PersonKeyEntity e = new PersonKeyEntity();
                e.keyId = created.ref().keyId().toString();
                e.tenantId = tenantId;
                e.personId = personId;
                e.kekId = wrapped.kekId();
                e.wrapped = encoded(wrapped);
                e.state = ACTIVE;
                e.createdAt = clock.millis();
                piiTx(em -> {
                    em.persist(e);
                    return null;
                });
                emit(VaultEvent.Operation.PERSON_KEY_CREATED, tenantId, created.ref(), wrapped.kekId());
                return new Owned(created, tenantId, null);
            });
            persons.put(slot, key);
            return key;
        }
    }

    private static Owned unwrapPerson(PersonKeyEntity row, KeyProvider p) {
        return new Owned(unwrapKey(p, row.kekId, row.wrapped, new KeyRef(UUID.fromString(row.keyId), 1)), row.tenantId, null);
    }

    /** Unwraps a stored (Base64) key; the raw bytes live only as long as the DataKey copy is made. */
    private static DataKey unwrapKey(KeyProvider p, String kekId, String wrapped, KeyRef ref) {
        byte[] raw = p.unwrap(stored(kekId, wrapped));
        try {
            return DataKey.of(ref, raw);
        } finally {
            java.util.Arrays.fill(raw, (byte) 0);
        }
    }

    private static WrappedKey stored(String kekId, String wrapped) {
        return new WrappedKey(kekId, Base64.getDecoder().decode(wrapped));
    }

    private static String encoded(WrappedKey wrapped) {
        return Base64.getEncoder().encodeToString(wrapped.bytes());
    }

    private <T> T piiTx(java.util.function.Function<javax.persistence.EntityManager, T> work) {
        return TenantTransactions.inTransaction(piiEmf, Map.of(), work);
    }

    @Override
    public VaultStatus status() {
        KeyProvider p = provider;
        if (p == null) {
            return new VaultStatus(true, "no key provider", null);
        }
        if (!p.available()) {
            return new VaultStatus(true, "master key unavailable", p.id());
        }
        return new VaultStatus(false, "master key available", p.id());
    }

    @Override
    public synchronized String rotateMaster() {
        KeyProvider p = unsealed();
        String kek = p.rotate();
        int done = rewrapAll(p, kek, null);
        LOG.info("Master key rotated to {}; {} data and person key(s) re-wrapped", kek, done);
        emit(VaultEvent.Operation.MASTER_KEY_ROTATED, null, null, kek);
        return kek + " " + done;
    }

    /**
     * Re-wraps every live data and person key not yet under {@code kek}; returns how many. With
     * {@code held}, only keys under those master key versions: a key under a version this provider
     * does not hold (restored from an old backup) cannot be re-wrapped and must not block the rest.
     */
    private int rewrapAll(KeyProvider p, String kek, java.util.Set<String> held) {
        List<DataKeyEntity> rows = tx(em -> em.createQuery("SELECT k FROM DataKey k WHERE k.state <> :d AND k.kekId <> :kek",
                DataKeyEntity.class).setParameter("d", DESTROYED).setParameter("kek", kek).getResultList());
        rows.removeIf(r -> held != null && !held.contains(r.kekId));
        int done = 0;
        for (DataKeyEntity row : rows) {
            WrappedKey rewrapped = p.rewrap(stored(row.kekId, row.wrapped));
            tx(em -> {
                DataKeyEntity managed = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(row.keyId, row.version));
                if (managed != null && !DESTROYED.equals(managed.state)) {
                    managed.kekId = rewrapped.kekId();
                    managed.wrapped = encoded(rewrapped);
                }
                return null;
            });
            done++;
        }
        List<PersonKeyEntity> people = piiTx(em -> em.createQuery("SELECT k FROM PersonKey k WHERE k.state <> :d AND k.kekId <> :kek",
                PersonKeyEntity.class).setParameter("d", DESTROYED).setParameter("kek", kek).getResultList());
        people.removeIf(r -> held != null && !held.contains(r.kekId));
        for (PersonKeyEntity row : people) {
            WrappedKey rewrapped = p.rewrap(stored(row.kekId, row.wrapped));
            piiTx(em -> {
                PersonKeyEntity managed = em.find(PersonKeyEntity.class, row.keyId);
                if (managed != null && !DESTROYED.equals(managed.state)) {
                    managed.kekId = rewrapped.kekId();
                    managed.wrapped = encoded(rewrapped);
                }
                return null;
            });
            done++;
        }
        return done;
    }

    @Override
    public synchronized KeyCutOff cutOff() {
        KeyProvider p = unsealed();
        if (!p.canDestroy()) {
            throw new VaultException("cutoff-unsupported", "Key provider '" + p.id() + "' cannot destroy master key "
                    + "versions, so destroyed keys would stay readable in older copies of the key tables; nothing done.");
        }
        // the destroyed keys this cut-off covers; anything destroyed later waits for the next one
        List<String[]> covered = tx(em -> em.createQuery("SELECT k.keyId, k.version FROM DataKey k WHERE k.state = :d AND k.cutOff = false",
                Object[].class).setParameter("d", DESTROYED).getResultList()).stream()
                .map(r -> new String[] {(String) r[0], String.valueOf(r[1])}).collect(Collectors.toList());
        List<String> coveredPeople = piiTx(em -> em.createQuery("SELECT k.keyId FROM PersonKey k WHERE k.state = :d AND k.cutOff = false",
                String.class).setParameter("d", DESTROYED).getResultList());
        java.util.Set<String> held = new java.util.HashSet<>(p.kekIds());
        String kek = p.rotate();
        emit(VaultEvent.Operation.MASTER_KEY_ROTATED, null, null, kek);
        int rewrapped = rewrapAll(p, kek, held);
        // every live key the provider can open must be under the new version before any older one goes
        long behind = tx(em -> em.createQuery("SELECT COUNT(k) FROM DataKey k WHERE k.state <> :d AND k.kekId IN :held", Long.class)
                .setParameter("d", DESTROYED).setParameter("held", held).getSingleResult())
                + piiTx(em -> em.createQuery("SELECT COUNT(k) FROM PersonKey k WHERE k.state <> :d AND k.kekId IN :held", Long.class)
                .setParameter("d", DESTROYED).setParameter("held", held).getSingleResult());
        if (behind != 0) {
            throw new VaultException("cutoff-incomplete", behind + " key(s) are still wrapped under an older master key; "
                    + "no master key was destroyed.");
        }
        Instant at = clock.instant();
        // keys under a master key this provider never held (restored from an old backup) cannot be escrowed
        List<KeyEscrow.Entry> entries = escrowEntries().stream().filter(e -> kek.equals(e.kekId())).collect(Collectors.toList());
        java.util.Set<String> destroyedKeks = new java.util.TreeSet<>();
        for (String list : tx(em -> em.createQuery("SELECT c.destroyedKeks FROM CutOff c", String.class).getResultList())) {
            destroyedKeks.addAll(splitIds(list));
        }
        // the cut-off table may come from a restored backup: the last escrow remembers the rest
        for (Path previous : escrowFiles()) {
            if (Files.exists(previous)) {
                try {
                    destroyedKeks.addAll(KeyEscrow.read(previous).destroyedKekIds());
                } catch (VaultException e) {
                    LOG.warn("Previous key escrow {} unreadable ({}); its list of destroyed master keys is not carried over",
                            previous, e.getMessage());
                }
            }
        }
        destroyedKeks.removeIf(id -> id.endsWith("…"));
        List<String> older = p.kekIds().stream().filter(id -> !id.equals(kek)).collect(Collectors.toList());
        destroyedKeks.addAll(older);
        writeEscrow(kek, at, entries, destroyedKeks);
        List<String> destroyed = new ArrayList<>();
        for (String old : older) {
            p.destroy(old);
            destroyed.add(old);
            emit(VaultEvent.Operation.MASTER_KEY_DESTROYED, null, null, old);
        }
        if (!p.kekIds().equals(List.of(kek))) {
            throw new VaultException("cutoff-incomplete", "Master key versions " + p.kekIds() + " are still held after "
                    + "destroying the older ones; the key provider did not destroy them.");
        }
        CutOffEntity row = new CutOffEntity();
        row.cutoffId = UUID.randomUUID().toString();
        row.kekId = kek;
        row.destroyedKeks = abbreviate(String.join(",", destroyed), 2000);
        row.rewrapped = rewrapped;
        row.escrow = abbreviate(settings.escrow().toString(), 1000);
        row.atMillis = at.toEpochMilli();
        tx(em -> {
            em.persist(row);
            for (String[] k : covered) {
                DataKeyEntity d = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(k[0], Integer.parseInt(k[1])));
                if (d != null) {
                    d.cutOff = true;
                }
            }
            return null;
        });
        piiTx(em -> {
            for (String id : coveredPeople) {
                PersonKeyEntity d = em.find(PersonKeyEntity.class, id);
                if (d != null) {
                    d.cutOff = true;
                }
            }
            return null;
        });
        LOG.warn("Key cut-off: master key {} current, {} key(s) re-wrapped, escrow {}, destroyed master key version(s) {}. "
                + "Copy the keystore and the escrow now: copies of the keystore taken before no longer open anything, and "
                + "database backups taken before need this escrow.", kek, rewrapped, settings.escrow(), destroyed);
        return new KeyCutOff(kek, destroyed, rewrapped, settings.escrow().toString(), at);
    }

    /** Every key that survives (not destroyed), as escrow lines. */
    private List<KeyEscrow.Entry> escrowEntries() {
        List<KeyEscrow.Entry> entries = new ArrayList<>();
        for (DataKeyEntity r : tx(em -> em.createQuery("SELECT k FROM DataKey k WHERE k.state <> :d ORDER BY k.tenantId, k.purpose, k.version",
                DataKeyEntity.class).setParameter("d", DESTROYED).getResultList())) {
            entries.add(new KeyEscrow.Entry('D', r.keyId, r.version, r.tenantId, r.purpose, r.kekId, r.wrapped));
        }
        for (PersonKeyEntity r : piiTx(em -> em.createQuery("SELECT k FROM PersonKey k WHERE k.state <> :d ORDER BY k.tenantId, k.personId",
                PersonKeyEntity.class).setParameter("d", DESTROYED).getResultList())) {
            entries.add(new KeyEscrow.Entry('P', r.keyId, 1, r.tenantId, r.personId, r.kekId, r.wrapped));
        }
        return entries;
    }

    /** Writes the escrow (and its copy) and reads it back: no master key is destroyed unless the escrow restores. */
    private void writeEscrow(String kek, Instant at, List<KeyEscrow.Entry> entries, java.util.Set<String> destroyedKeks) {
        byte[] content = KeyEscrow.format(kek, at, entries, destroyedKeks);
        for (Path file : escrowFiles()) {
            try {
                SecureFiles.replace(file, content);
                KeyEscrow.Contents back = KeyEscrow.read(file);
                if (!back.entries().equals(entries) || !back.kekId().equals(kek)) {
                    throw new IOException("the escrow read back differs from what was written");
                }
            } catch (IOException | VaultException e) {
                throw new VaultException("escrow-write-failed", "Could not write the key escrow " + file + ": "
                        + e.getMessage() + "; no master key was destroyed.", e);
            }
        }
    }

    private List<Path> escrowFiles() {
        return settings.escrowCopy() == null ? List.of(settings.escrow()) : List.of(settings.escrow(), settings.escrowCopy());
    }

    private static List<String> splitIds(String list) {
        return list == null || list.isBlank() ? List.of() : java.util.Arrays.asList(list.split(","));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Whether a key was destroyed that older copies of the key tables still hold (no cut-off since). */
    boolean cutOffPending() {
        long data = tx(em -> em.createQuery("SELECT COUNT(k) FROM DataKey k WHERE k.state = :d AND k.cutOff = false", Long.class)
                .setParameter("d", DESTROYED).getSingleResult());
        long people = piiTx(em -> em.createQuery("SELECT COUNT(k) FROM PersonKey k WHERE k.state = :d AND k.cutOff = false", Long.class)
                .setParameter("d", DESTROYED).getSingleResult());
        return data + people > 0;
    }

    /** The periodic work: expired archived keys go; person erasures reach older copies within one interval. */
    void maintain() {
        try {
            if (!status().sealed()) {
                destroyExpiredArchives();
                if (cutOffPending()) {
                    cutOff();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Vault maintenance failed (retried in {} min): {}", settings.cutOffIntervalMinutes(), e.getMessage(), e);
        }
    }

    /** Archived versions older than the retention: their backups have expired, so the key goes. */
    synchronized int destroyExpiredArchives() {
        long limit = clock.millis() - TimeUnit.DAYS.toMillis(settings.archivedRetentionDays());
        long now = clock.millis();
        List<DataKeyEntity> gone = tx(em -> {
            List<DataKeyEntity> rows = em.createQuery("SELECT k FROM DataKey k WHERE k.state = :a AND k.archivedAt < :limit",
                    DataKeyEntity.class).setParameter("a", ARCHIVED).setParameter("limit", limit).getResultList();
            for (DataKeyEntity row : rows) {
                row.destroy(now, true);
            }
            return rows;
        });
        for (DataKeyEntity row : gone) {
            KeyRef ref = new KeyRef(UUID.fromString(row.keyId), row.version);
            byRef.remove(ref);
            emit(VaultEvent.Operation.DATA_KEY_DESTROYED, row.tenantId, ref, null);
        }
        if (!gone.isEmpty()) {
            LOG.info("Destroyed {} archived data key version(s) older than {} days", gone.size(), settings.archivedRetentionDays());
        }
        return gone.size();
    }

    @Override
    public synchronized KeyRestoreReport restoreKeys(Path escrow, boolean apply) {
        KeyProvider p = unsealed();
        if (!p.canDestroy()) {
            throw new VaultException("restore-unsupported", "Key provider '" + p.id() + "' makes no cut-offs, so there is "
                    + "no escrow to restore from; older backups open with the keys as they are.");
        }
        KeyEscrow.Contents contents = KeyEscrow.read(escrow);
        java.util.Set<String> live = new java.util.HashSet<>(p.kekIds());
        if (!live.contains(contents.kekId())) {
            throw new VaultException("escrow-stale", "The escrow " + escrow + " was written under master key "
                    + contents.kekId() + ", which this key provider does not hold: use the escrow of the latest cut-off "
                    + "of this installation. Nothing changed.");
        }
        Map<String, KeyEscrow.Entry> byKey = new java.util.HashMap<>();
        for (KeyEscrow.Entry e : contents.entries()) {
            byKey.put(e.kind() + "|" + e.keyId() + "|" + e.version(), e);
        }
        int[] counts = new int[4];
        long now = clock.millis();
        List<Runnable> events = new ArrayList<>();
        tx(em -> {
            for (DataKeyEntity r : em.createQuery("SELECT k FROM DataKey k WHERE k.state <> :d", DataKeyEntity.class)
                    .setParameter("d", DESTROYED).getResultList()) {
                KeyEscrow.Entry e = byKey.get("D|" + r.keyId + "|" + r.version);
                restoreRow(r, e, e != null && e.scope().equals(r.purpose), live, contents, apply, now, counts, () -> events.add(() ->
                        emit(VaultEvent.Operation.DATA_KEY_DESTROYED, r.tenantId, new KeyRef(UUID.fromString(r.keyId), r.version), null)));
            }
            return null;
        });
        piiTx(em -> {
            for (PersonKeyEntity r : em.createQuery("SELECT k FROM PersonKey k WHERE k.state <> :d", PersonKeyEntity.class)
                    .setParameter("d", DESTROYED).getResultList()) {
                KeyEscrow.Entry e = byKey.get("P|" + r.keyId + "|1");
                restoreRow(r, e, e != null && e.scope().equals(r.personId), live, contents, apply, now, counts, () -> events.add(() ->
                        emit(VaultEvent.Operation.PERSON_KEY_DESTROYED, r.tenantId, new KeyRef(UUID.fromString(r.keyId), 1), null)));
            }
            return null;
        });
        KeyRestoreReport report = new KeyRestoreReport(counts[1], counts[0], counts[2], counts[3], apply);
        if (apply) {
            forgetKeys();
            events.forEach(Runnable::run);
            emit(VaultEvent.Operation.KEYS_RESTORED, null, null, p.currentKekId());
            LOG.warn("Keys restored from escrow {}: {}", escrow, report);
        }
        return report;
    }

    /**
     * One restored row: unchanged (its master key is held), restored (the escrow has it under a held
     * master key), unrecoverable (its master key is listed as destroyed) or unknown (left alone).
     */
    private static void restoreRow(StoredKey r, KeyEscrow.Entry e, boolean sameScope, java.util.Set<String> live,
            KeyEscrow.Contents contents, boolean apply, long now, int[] counts, Runnable destroyedEvent) {
        if (r.kekId != null && live.contains(r.kekId)) {
            counts[0]++;
        } else if (e != null && sameScope && e.tenantId().equals(r.tenantId) && live.contains(e.kekId())) {
            counts[1]++;
            if (apply) {
                r.kekId = e.kekId();
                r.wrapped = e.wrapped();
            }
        } else if (r.kekId != null && contents.destroyedKekIds().contains(r.kekId)) {
            counts[2]++;
            if (apply) {
                // its master key is already destroyed: no copy can open it, no cut-off owed
                r.destroy(now, true);
                destroyedEvent.run();
            }
        } else {
            counts[3]++;
        }
    }

    @Override
    public synchronized KeyInfo rotateTenantKey(String tenantId, KeyPurpose purpose) {
        KeyProvider p = unsealed();
        tenants.get(tenantId);
        Owned now = loadCurrent(tenantId, purpose, p).orElse(null);
        DataKey next = DataKey.generate(now == null ? KeyRef.random() : now.key.ref().next());
        if (now != null) {
            tx(em -> {
                DataKeyEntity old = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(now.key.ref().keyId().toString(), now.key.ref().version()));
                old.state = RETIRED;
                return null;
            });
        }
        Owned created = persist(next, tenantId, purpose, p);
        emit(VaultEvent.Operation.DATA_KEY_ROTATED, tenantId, next.ref(), p.currentKekId());
        current.put(tenantId + '|' + purpose.id(), created);
        byRef.put(next.ref(), created);
        return info(tx(em -> em.find(DataKeyEntity.class, new DataKeyEntity.Pk(next.ref().keyId().toString(), next.ref().version()))));
    }

    @Override
    public synchronized ShredReport shredTenant(String tenantId, String confirmation) {
        unsealed();
        Tenant tenant = tenants.get(tenantId);
        if (!tenant.id().equals(confirmation)) {
            throw new VaultException("shred-not-confirmed", "Shredding needs the tenant's id repeated as confirmation; nothing destroyed.");
        }
        if (tenant.state() != TenantState.DELETED) {
            throw new VaultException("shred-refused", "Tenant '" + tenant.slug() + "' is " + tenant.state()
                    + "; only a DELETED tenant's keys can be shredded. Nothing destroyed.");
        }
        long now = clock.millis();
        List<KeyInfo> destroyed = tx(em -> {
            List<DataKeyEntity> rows = em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.state <> :d",
                    DataKeyEntity.class).setParameter("t", tenantId).setParameter("d", DESTROYED).getResultList();
            List<KeyInfo> out = new ArrayList<>();
            for (DataKeyEntity row : rows) {
                row.destroy(now, false);
                out.add(info(row));
            }
            return out;
        });
        int people = piiTx(em -> {
            List<PersonKeyEntity> rows = em.createQuery("SELECT k FROM PersonKey k WHERE k.tenantId = :t AND k.state <> :d",
                    PersonKeyEntity.class).setParameter("t", tenantId).setParameter("d", DESTROYED).getResultList();
            for (PersonKeyEntity row : rows) {
                row.destroy(now, false);
            }
            return rows.size();
        });
        if (people > 0) {
            LOG.warn("Crypto-shredded {} person key(s) of tenant {}", people, tenant.slug());
        }
        shredded.add(tenantId);
        persons.keySet().removeIf(slot -> slot.startsWith(tenantId + '|'));
        current.keySet().removeIf(slot -> slot.startsWith(tenantId + '|'));
        byRef.values().removeIf(o -> o.tenantId.equals(tenantId));
        LOG.warn("Crypto-shredded {} data key(s) of tenant {}", destroyed.size(), tenant.slug());
        for (KeyInfo k : destroyed) {
            emit(VaultEvent.Operation.DATA_KEY_DESTROYED, tenantId, new KeyRef(UUID.fromString(k.keyId()), k.version()), null);
        }
        KeyCutOff cut;
        try {
            cut = cutOff();
        } catch (RuntimeException e) {
            throw new VaultException("cutoff-failed", "Destroyed " + destroyed.size() + " data key(s) and " + people
                    + " person key(s) of tenant " + tenant.slug() + ", but the cut-off that puts them out of reach of "
                    + "older copies (backups) failed: " + e.getMessage() + " It is retried every "
                    + settings.cutOffIntervalMinutes() + " min; or run mamori:vault-cutoff.", e);
        }
        return new ShredReport(tenantId, destroyed, people, cut);
    }

    @Override
    public List<KeyInfo> keys(String tenantId) {
        return tx(em -> em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t ORDER BY k.purpose, k.version",
                DataKeyEntity.class).setParameter("t", tenantId).getResultList()).stream().map(VaultServiceImpl::info)
                .collect(Collectors.toList());
    }

    private static KeyInfo info(DataKeyEntity row) {
        return new KeyInfo(row.keyId, row.version, row.tenantId, KeyPurpose.fromId(row.purpose),
                KeyInfo.State.valueOf(row.state), row.kekId, Instant.ofEpochMilli(row.createdAt),
                row.destroyedAt == null ? null : Instant.ofEpochMilli(row.destroyedAt));
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public HealthStatus check() {
        VaultStatus s = status();
        return s.sealed() ? HealthStatus.down("sealed: " + s.detail()) : HealthStatus.up("unsealed");
    }

    private KeyProvider unsealed() {
        KeyProvider p = provider;
        if (p == null || !p.available()) {
            throw new VaultSealedException("The vault is sealed: " + status().detail() + ".");
        }
        return p;
    }

    /** The vault serves only the tenant bound on this thread: no call can reach another tenant's keys. */
    private void checkTenant(String tenantId) {
        String bound = context.requireTenantId();
        if (!bound.equals(tenantId)) {
            throw new NoTenantContextException("The vault serves only the tenant bound on this thread.");
        }
    }

    private Owned currentKey(String tenantId, KeyPurpose purpose) {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        String slot = tenantId + '|' + purpose.id();
        Owned cached = current.get(slot);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = current.get(slot);
            if (cached != null) {
                return cached;
            }
            Owned key = loadCurrent(tenantId, purpose, p).orElseGet(() -> create(tenantId, purpose, p));
            current.put(slot, key);
            byRef.put(key.key.ref(), key);
            return key;
        }
    }

    private Optional<Owned> loadCurrent(String tenantId, KeyPurpose purpose, KeyProvider p) {
        Optional<DataKeyEntity> row = tx(em -> em.createQuery(
                "SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p AND k.state = :s ORDER BY k.version DESC",
                DataKeyEntity.class).setParameter("t", tenantId).setParameter("p", purpose.id())
                .setParameter("s", ACTIVE).setMaxResults(1).getResultList().stream().findFirst());
        return row.map(r -> unwrap(r, p));
    }

    private Owned create(String tenantId, KeyPurpose purpose, KeyProvider p) {
        return persist(DataKey.generate(KeyRef.random()), tenantId, purpose, p);
    }

    private Owned persist(DataKey key, String tenantId, KeyPurpose purpose, KeyProvider p) {
        WrappedKey wrapped = key.wrapWith(p);
        DataKeyEntity e = new DataKeyEntity();
        e.keyId = key.ref().keyId().toString();
        e.version = key.ref().version();
        e.tenantId = tenantId;
        e.purpose = purpose.id();
        e.kekId = wrapped.kekId();
        e.wrapped = encoded(wrapped);
        e.state = ACTIVE;
        e.createdAt = clock.millis();
        tx(em -> {
            em.persist(e);
            return null;
        });
        emit(VaultEvent.Operation.DATA_KEY_CREATED, tenantId, key.ref(), wrapped.kekId());
        return new Owned(key, tenantId, purpose);
    }

    private DataKey resolve(String tenantId, KeyPurpose purpose, KeyRef ref, KeyProvider p) {
        Owned owned = byRef.get(ref);
        if (owned == null) {
            DataKeyEntity row = tx(em -> em.find(DataKeyEntity.class, new DataKeyEntity.Pk(ref.keyId().toString(), ref.version())));
            if (row == null) {
                throw new UnknownKeyException("No data key " + ref + ".");
            }
            if (DESTROYED.equals(row.state)) {
                throw new KeyDestroyedException("Data key " + ref + " was destroyed; its data cannot be recovered.");
            }
            owned = unwrap(row, p);
            if (!owned.tenantId.equals(tenantId) || owned.purpose != purpose) {
                throw new DecryptionFailedException("The ciphertext does not decrypt for this tenant and purpose.");
            }
            if (ARCHIVED.equals(row.state)) {
                postponeArchive(ref, row);
                return owned.key;
            }
            byRef.put(ref, owned);
            if (shredded.contains(owned.tenantId)) {
                byRef.remove(ref);
                throw new KeyDestroyedException("Data key " + ref + " was destroyed; its data cannot be recovered.");
            }
        }
        if (!owned.tenantId.equals(tenantId) || owned.purpose != purpose) {
            // same answer as a tampered blob: do not reveal whose key it is
            throw new DecryptionFailedException("The ciphertext does not decrypt for this tenant and purpose.");
        }
        return owned.key;
    }

    private static Owned unwrap(DataKeyEntity row, KeyProvider p) {
        return new Owned(unwrapKey(p, row.kekId, row.wrapped, new KeyRef(UUID.fromString(row.keyId), row.version)),
                row.tenantId, KeyPurpose.fromId(row.purpose));
    }

    private <T> T tx(java.util.function.Function<javax.persistence.EntityManager, T> work) {
        return TenantTransactions.inTransaction(emf, Map.of(), work);
    }

    @Override
    public ReEncryptionJob reEncrypt(String tenantId, KeyPurpose purpose) {
        unsealed();
        tenants.get(tenantId);
        return reEncryptions.start(tenantId, purpose);
    }

    @Override
    public List<ReEncryptionJob> reEncryptionJobs() {
        return reEncryptions.list();
    }

    @Override
    public ReEncryptionJob cancelReEncryption(String jobId) {
        return reEncryptions.cancel(jobId);
    }

    @Override
    public List<ParticipantInfo> participants(KeyPurpose purpose) {
        return reEncryptions.participants(purpose);
    }

    @Override
    public boolean forgetParticipant(String name, KeyPurpose purpose) {
        return reEncryptions.forget(name, purpose);
    }

    /** The id of a tenant's key for a purpose (the same for every version), if it has one. */
    Optional<UUID> keyIdOf(String tenantId, KeyPurpose purpose) {
        Owned now = current.get(tenantId + '|' + purpose.id());
        if (now != null) {
            return Optional.of(now.key.ref().keyId());
        }
        return tx(em -> em.createQuery("SELECT k.keyId FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p", String.class)
                .setParameter("t", tenantId).setParameter("p", purpose.id()).setMaxResults(1).getResultList().stream()
                .findFirst().map(UUID::fromString));
    }

    /** The active version of a tenant's key, if it has one. */
    Optional<Integer> currentVersion(String tenantId, KeyPurpose purpose) {
        return tx(em -> em.createQuery("SELECT k.version FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p AND k.state = :s",
                Integer.class).setParameter("t", tenantId).setParameter("p", purpose.id()).setParameter("s", ACTIVE)
                .getResultList().stream().findFirst());
    }

    /** Versions below {@code target} that still decrypt (RETIRED). */
    List<Integer> retiredBelow(String tenantId, KeyPurpose purpose, int target) {
        return tx(em -> em.createQuery("SELECT k.version FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p AND k.state IN :s "
                + "AND k.version < :v ORDER BY k.version", Integer.class).setParameter("t", tenantId).setParameter("p", purpose.id())
                .setParameter("s", List.of(RETIRED, ARCHIVED)).setParameter("v", target).getResultList());
    }

    /**
     * Archives the RETIRED (and re-archives the ARCHIVED) versions below {@code target} once their
     * data is re-encrypted: kept for restoring backups taken before, destroyed after the retention.
     * Runs in the caller's transaction, so archiving and the job's end commit together.
     *
     * @return the rows archived; announce them with {@link #archived} after the commit
     */
    List<DataKeyEntity> archiveRetired(javax.persistence.EntityManager em, String tenantId, KeyPurpose purpose, int target) {
        long now = clock.millis();
        // rows locked and re-checked: a shredding or expiry that committed meanwhile must not be undone
        List<DataKeyEntity> rows = em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p "
                + "AND k.state IN :s AND k.version < :v ORDER BY k.version", DataKeyEntity.class).setParameter("t", tenantId)
                .setParameter("p", purpose.id()).setParameter("s", List.of(RETIRED, ARCHIVED)).setParameter("v", target)
                .setLockMode(javax.persistence.LockModeType.PESSIMISTIC_WRITE).getResultList();
        rows.removeIf(row -> !RETIRED.equals(row.state) && !ARCHIVED.equals(row.state));
        for (DataKeyEntity row : rows) {
            row.state = ARCHIVED;
            row.archivedAt = now;
        }
        return rows;
    }

    /** After the archiving transaction committed: drop cached keys, announce. */
    void archived(List<DataKeyEntity> rows) {
        for (DataKeyEntity row : rows) {
            KeyRef ref = new KeyRef(UUID.fromString(row.keyId), row.version);
            byRef.remove(ref);
            archivedSeen.remove(ref);
            emit(VaultEvent.Operation.DATA_KEY_ARCHIVED, row.tenantId, ref, null);
        }
    }

    /** Re-encryption missed a blob under an archived key: it still decrypts, and the key's end starts over. */
    private void postponeArchive(KeyRef ref, DataKeyEntity row) {
        long now = clock.millis();
        Long last = archivedSeen.get(ref);
        if (last != null && now - last < TimeUnit.HOURS.toMillis(1)) {
            return;
        }
        archivedSeen.put(ref, now);
        LOG.warn("Archived data key {} of tenant {} used: some {} data was not re-encrypted; its destruction is postponed. "
                + "Run mamori:vault-reencrypt again.", ref, row.tenantId, row.purpose);
        try {
            tx(em -> {
                DataKeyEntity managed = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(row.keyId, row.version));
                if (managed != null && ARCHIVED.equals(managed.state)) {
                    managed.archivedAt = now;
                }
                return null;
            });
        } catch (RuntimeException e) {
            // the decrypt itself must not fail for this; the next use within the retention tries again
            archivedSeen.remove(ref);
            LOG.warn("Could not postpone the end of archived key {}: {}", ref, e.toString());
        }
    }

    /** Decrypts with any live version, encrypts under the current one; the tenant must be bound. */
    ReEncryptor reEncryptor(String tenantId, KeyPurpose purpose, int target) {
        // looked up once per batch, not once per blob
        Optional<UUID> keyId = keyIdOf(tenantId, purpose);
        return new ReEncryptor() {
            @Override
            public boolean isCurrent(byte[] blob) {
                KeyRef ref = KeyRef.named(blob);
                // another key id is not this tenant's and purpose's: re-encrypting it fails loudly
                return ref.version() >= target && keyId.map(ref.keyId()::equals).orElse(false);
            }

            @Override
            public byte[] reEncrypt(byte[] blob, byte[] associatedData) {
                byte[] plain = decrypt(tenantId, purpose, blob, associatedData);
                try {
                    return encrypt(tenantId, purpose, plain, associatedData);
                } finally {
                    Zeroize.wipe(plain);
                }
            }

            @Override
            public void reEncrypt(InputStream source, OutputStream sink, byte[] associatedData) throws IOException {
                OutputStream keepOpen = new java.io.FilterOutputStream(sink) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                try (InputStream in = decryptingStream(tenantId, purpose, source, associatedData);
                        OutputStream out = encryptingStream(tenantId, purpose, keepOpen, associatedData)) {
                    in.transferTo(out);
                }
            }
        };
    }

    <T> T vaultTx(java.util.function.Function<javax.persistence.EntityManager, T> work) {
        return tx(work);
    }

    Clock clock() {
        return clock;
    }
}
