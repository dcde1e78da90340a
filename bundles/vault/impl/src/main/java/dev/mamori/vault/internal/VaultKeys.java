package dev.mamori.vault.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventsReady;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultEvents;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.VaultStatus;
import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.DataKey;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The one holder of clear keys: the bound key provider (the configured one only), and the data
 * and person keys unwrapped with it, each cached with its owner. Everything that creates a key or
 * changes a key's state takes {@link #lock}, one explicit lock for the whole vault. Keys are
 * wrapped bound to what they are (tenant, purpose, key id, version; or tenant, person, key id), so a
 * wrapped key moved to another row does not unwrap.
 */
@Component(service = VaultKeys.class, configurationPid = VaultKeys.PID)
public class VaultKeys {
    static final String PID = "dev.mamori.vault";
    static final String ACTIVE = "ACTIVE";
    static final String RETIRED = "RETIRED";
    static final String ARCHIVED = "ARCHIVED";
    static final String DESTROYED = "DESTROYED";
    private static final Logger LOG = LoggerFactory.getLogger(VaultKeys.class);

    /** An unwrapped key and whom it belongs to. */
    record Owned(DataKey key, String tenantId, KeyPurpose purpose) {
    }

    /** A resolved data key, and whether it is an archived version (kept for old backups only). */
    record Resolved(DataKey key, boolean archived) {
    }

    /** Guards key creation, rotation, shredding, cut-offs and archiving against each other. */
    final Object lock = new Object();
    private final VaultStores stores;
    private final TenantContext context;
    private final EventPublisher events;
    private final Map<String, Owned> current = new ConcurrentHashMap<>();
    private final Map<KeyRef, Owned> byRef = new ConcurrentHashMap<>();
    private final Map<String, Owned> persons = new ConcurrentHashMap<>();
    /** When each archived key was last found in use (and its end postponed); at most once an hour each. */
    private final Map<KeyRef, Long> archivedSeen = new ConcurrentHashMap<>();
    /** Tenants shredded in this run: a decrypt that loaded a key just before must not cache it after. */
    private final Set<String> shredded = ConcurrentHashMap.newKeySet();
    private final List<Runnable> unsealListeners = new CopyOnWriteArrayList<>();
    /** Other holders of unwrapped keys (signing keys): told to forget everything (null) or one tenant. */
    private final List<java.util.function.Consumer<String>> forgetListeners = new CopyOnWriteArrayList<>();
    private volatile KeyProvider provider;
    private volatile String sealedReason;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    /**
     * @param emf      the vault's unit on {@code mamori}
     * @param piiEmf   the vault's unit on {@code mamori-pii}
     * @param schema   present once the vault schema is migrated
     * @param piiSchema present once the vault's PII schema is migrated
     * @param context  the tenant context every data call must run in
     * @param events   where every key operation is published
     */
    @Activate
    public VaultKeys(@Reference(target = "(osgi.unit.name=mamori-vault)") EntityManagerFactory emf,
            @Reference(target = "(osgi.unit.name=mamori-vault-pii)") EntityManagerFactory piiEmf,
            @Reference(target = "(" + SchemaReady.NAME + "=vault)") SchemaReady schema,
            @Reference(target = "(" + SchemaReady.NAME + "=vault-pii)") SchemaReady piiSchema,
            @Reference TenantContext context, @Reference EventPublisher events) {
        this(new VaultStores(emf, piiEmf), context, events);
    }

    VaultKeys(VaultStores stores, TenantContext context, EventPublisher events) {
        this.stores = stores;
        this.context = context;
        this.events = events;
    }

    private volatile Runnable unrecordedUnseal;

    /**
     * Only the provider the configuration names ({@code keyProvider.target} in {@code dev.mamori.vault}):
     * a provider from any other bundle, however highly ranked, never receives a data key.
     */
    @Reference(name = "keyProvider", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + KeyProvider.PROVIDER_ID + "=keystore)")
    void bindKeyProvider(KeyProvider p) {
        synchronized (lock) {
            forgetAll();
            provider = p;
        }
        String kek = p.available() ? p.currentKekId() : null;
        Runnable record = () -> emit(VaultEvents.UNSEALED, null, null, null, kek);
        try {
            record.run();
        } catch (RuntimeException e) {
            // at start the audit log may not be up yet: the event is recorded as soon as it is
            unrecordedUnseal = record;
            LOG.info("The vault's unsealing is recorded once events can be ({})", e.getMessage());
        }
        unsealListeners.forEach(Runnable::run);
    }

    /** Records an unsealing that happened before the required event listeners were registered. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventsReady(EventsReady ready) {
        Runnable r = unrecordedUnseal;
        unrecordedUnseal = null;
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("Could not record that the vault was unsealed: {}", e.getMessage());
            }
        }
    }

    void unbindEventsReady(EventsReady ready) {
        // nothing to undo: readiness only triggers the deferred record
    }

    void unbindKeyProvider(KeyProvider p) {
        synchronized (lock) {
            if (provider != p) {
                return;
            }
            provider = null;
            forgetAll();
        }
        try {
            emit(VaultEvents.SEALED, null, null, null, null);
        } catch (RuntimeException e) {
            LOG.error("Could not record that the vault was sealed: {}", e.getMessage());
        }
    }

    /** @param reason why no key provider is there (shown by status and health), or null */
    void sealedBecause(String reason) {
        sealedReason = reason;
    }

    /** @return whether this installation has ever stored a key or made a cut-off (then a lost keystore is never replaced) */
    boolean hasStoredKeys() {
        long main = stores.tx(em -> em.createQuery("SELECT COUNT(k) FROM DataKey k", Long.class).getSingleResult()
                + em.createQuery("SELECT COUNT(k) FROM SigningKey k", Long.class).getSingleResult()
                + em.createQuery("SELECT COUNT(c) FROM CutOff c", Long.class).getSingleResult());
        long pii = stores.piiTx(em -> em.createQuery("SELECT COUNT(k) FROM PersonKey k", Long.class).getSingleResult());
        return main + pii > 0;
    }

    /** @param r run whenever a key provider is bound (jobs that waited for the vault go on) */
    void onUnseal(Runnable r) {
        unsealListeners.add(r);
    }

    /** @param l told to drop its unwrapped keys: all of them (null), or one shredded tenant's */
    void onForget(java.util.function.Consumer<String> l) {
        forgetListeners.add(l);
    }

    /** @return whether the tenant was shredded in this run (nothing of it may be cached again) */
    boolean shredded(String tenantId) {
        return shredded.contains(tenantId);
    }

    VaultStores stores() {
        return stores;
    }

    Clock clock() {
        return clock;
    }

    /** @return the bound provider if it can be used now */
    KeyProvider unsealed() {
        KeyProvider p = provider;
        if (p == null || !p.available()) {
            throw new VaultSealedException("The vault is sealed: " + status().detail() + ".");
        }
        return p;
    }

    VaultStatus status() {
        KeyProvider p = provider;
        if (p == null) {
            String why = sealedReason;
            return new VaultStatus(true, why != null ? why : "no key provider", null);
        }
        if (!p.available()) {
            return new VaultStatus(true, "master key unavailable", p.id());
        }
        return new VaultStatus(false, "master key available", p.id());
    }

    /** The vault serves only the tenant bound on this thread: no call can reach another tenant's keys. */
    void checkTenant(String tenantId) {
        String bound = context.requireTenantId();
        if (!bound.equals(tenantId)) {
            throw new NoTenantContextException("The vault serves only the tenant bound on this thread.");
        }
    }

    /** Publishes a key operation; ids and versions only, never key material. */
    void emit(EventType type, String tenantId, KeyRef ref, KeyPurpose purpose, String kekId) {
        events.publish(event(type, tenantId, ref, purpose == null ? null : purpose.id(), kekId));
    }

    /** Publishes a signing key operation: as {@link #emit}, with the owner (a tenant id, or {@code platform}). */
    void emitSigning(EventType type, String owner, KeyRef ref, String purpose, String kekId) {
        String tenant = dev.mamori.vault.VaultSigner.PLATFORM.equals(owner) ? null : owner;
        events.publish(event(type, tenant, ref, purpose, kekId).detail("owner", owner));
    }

    private static MamoriEvent.Builder event(EventType type, String tenantId, KeyRef ref, String purpose, String kekId) {
        MamoriEvent.Builder b = MamoriEvent.builder(type).tenant(tenantId);
        if (ref != null) {
            b.target("key", ref.keyId().toString()).detail("keyId", ref.keyId()).detail("version", ref.version());
        }
        return b.detail("purpose", purpose).detail("kekId", kekId);
    }

    /** What a data key is, bound into its wrapping. */
    static byte[] dataKeyContext(String tenantId, String purpose, String keyId, int version) {
        return Aad.of("mamori data key v1", tenantId, purpose, keyId, Integer.toString(version));
    }

    /** What a person key is, bound into its wrapping. */
    static byte[] personKeyContext(String tenantId, String personId, String keyId) {
        return Aad.of("mamori person key v1", tenantId, personId, keyId);
    }

    static byte[] context(DataKeyEntity row) {
        return dataKeyContext(row.tenantId, row.purpose, row.keyId, row.version);
    }

    static byte[] context(PersonKeyEntity row) {
        return personKeyContext(row.tenantId, row.personId, row.keyId);
    }

    static WrappedKey stored(String kekId, String wrapped) {
        return new WrappedKey(kekId, Base64.getDecoder().decode(wrapped));
    }

    static String encoded(WrappedKey wrapped) {
        return Base64.getEncoder().encodeToString(wrapped.bytes());
    }

    /** Unwraps a stored key; the raw bytes live only until the DataKey copy is made. */
    static DataKey unwrap(KeyProvider p, String kekId, String wrapped, byte[] context, KeyRef ref) {
        byte[] raw = p.unwrap(stored(kekId, wrapped), context);
        try {
            return DataKey.of(ref, raw);
        } finally {
            java.util.Arrays.fill(raw, (byte) 0);
        }
    }

    static Owned unwrap(DataKeyEntity row, KeyProvider p) {
        KeyRef ref = new KeyRef(UUID.fromString(row.keyId), row.version);
        return new Owned(unwrap(p, row.kekId, row.wrapped, context(row), ref), row.tenantId, KeyPurpose.fromId(row.purpose));
    }

    static Owned unwrap(PersonKeyEntity row, KeyProvider p) {
        KeyRef ref = new KeyRef(UUID.fromString(row.keyId), 1);
        return new Owned(unwrap(p, row.kekId, row.wrapped, context(row), ref), row.tenantId, null);
    }

    // ---- data keys

    /** The key new data of a tenant and purpose is encrypted under; created on first use. */
    DataKey currentKey(String tenantId, KeyPurpose purpose) {
        KeyProvider p = unsealed();
        checkTenant(tenantId);
        String slot = tenantId + '|' + purpose.id();
        Owned cached = current.get(slot);
        if (cached != null) {
            return cached.key();
        }
        synchronized (lock) {
            cached = current.get(slot);
            if (cached != null) {
                return cached.key();
            }
            Owned key = loadCurrent(tenantId, purpose, p).orElseGet(() -> persist(DataKey.generate(KeyRef.random()), tenantId, purpose, p));
            current.put(slot, key);
            byRef.put(key.key().ref(), key);
            return key.key();
        }
    }

    Optional<Owned> loadCurrent(String tenantId, KeyPurpose purpose, KeyProvider p) {
        Optional<DataKeyEntity> row = stores.tx(em -> em.createQuery(
                "SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p AND k.state = :s ORDER BY k.version DESC",
                DataKeyEntity.class).setParameter("t", tenantId).setParameter("p", purpose.id())
                .setParameter("s", ACTIVE).setMaxResults(1).getResultList().stream().findFirst());
        return row.map(r -> unwrap(r, p));
    }

    /** Stores a new key version wrapped; its creation event is published in the same transaction. */
    Owned persist(DataKey key, String tenantId, KeyPurpose purpose, KeyProvider p) {
        DataKeyEntity e = new DataKeyEntity();
        e.keyId = key.ref().keyId().toString();
        e.version = key.ref().version();
        e.tenantId = tenantId;
        e.purpose = purpose.id();
        WrappedKey wrapped = key.wrapWith(p, context(e));
        e.kekId = wrapped.kekId();
        e.wrapped = encoded(wrapped);
        e.state = ACTIVE;
        e.createdAt = clock.millis();
        stores.tx(em -> {
            em.persist(e);
            em.flush();
            emit(VaultEvents.DATA_KEY_CREATED, tenantId, key.ref(), purpose, wrapped.kekId());
            return null;
        });
        return new Owned(key, tenantId, purpose);
    }

    /** Makes {@code key} the current one of its tenant and purpose (after a rotation). */
    void setCurrent(Owned key) {
        current.put(key.tenantId() + '|' + key.purpose().id(), key);
        byRef.put(key.key().ref(), key);
    }

    /**
     * Finds the key a ciphertext names, for the bound tenant and purpose only. Ownership is checked
     * before anything else is said: a key of another tenant or purpose, and a key that does not exist,
     * get the same answer as a tampered blob.
     */
    Resolved resolve(String tenantId, KeyPurpose purpose, KeyRef ref, KeyProvider p) {
        Owned owned = byRef.get(ref);
        if (owned != null) {
            if (!owned.tenantId().equals(tenantId) || owned.purpose() != purpose) {
                throw notYours();
            }
            return new Resolved(owned.key(), false);
        }
        DataKeyEntity row = stores.tx(em -> em.find(DataKeyEntity.class, new DataKeyEntity.Pk(ref.keyId().toString(), ref.version())));
        if (row == null || !row.tenantId.equals(tenantId) || !row.purpose.equals(purpose.id())) {
            throw notYours();
        }
        if (DESTROYED.equals(row.state)) {
            throw new KeyDestroyedException("Data key " + ref + " was destroyed; its data cannot be recovered.");
        }
        owned = unwrap(row, p);
        if (ARCHIVED.equals(row.state)) {
            return new Resolved(owned.key(), true);
        }
        byRef.put(ref, owned);
        if (shredded.contains(owned.tenantId())) {
            byRef.remove(ref);
            throw new KeyDestroyedException("Data key " + ref + " was destroyed; its data cannot be recovered.");
        }
        return new Resolved(owned.key(), false);
    }

    private static DecryptionFailedException notYours() {
        return new DecryptionFailedException("The ciphertext does not decrypt for this tenant and purpose.");
    }

    /**
     * Data under an archived key was read, so re-encryption missed it: its destruction starts over.
     * Called only after a successful decryption.
     */
    void postponeArchive(KeyRef ref, String tenantId) {
        long now = clock.millis();
        Long last = archivedSeen.get(ref);
        if (last != null && now - last < TimeUnit.HOURS.toMillis(1)) {
            return;
        }
        archivedSeen.put(ref, now);
        LOG.warn("Archived data key {} of tenant {} used: some data was not re-encrypted; its destruction is postponed. "
                + "Run mamori:vault-reencrypt again.", ref, tenantId);
        try {
            stores.tx(em -> {
                DataKeyEntity managed = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(ref.keyId().toString(), ref.version()));
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

    // ---- person keys

    private static final java.util.regex.Pattern PERSON = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static void checkPerson(String personId) {
        if (personId == null || !PERSON.matcher(personId).matches()) {
            throw new VaultException(VaultErrors.INVALID_PERSON, "A person id is 1-64 characters of letters, digits, '.', '-', '_'.");
        }
    }

    static Optional<PersonKeyEntity> personRow(EntityManager em, String tenantId, String personId) {
        return em.createQuery("SELECT k FROM PersonKey k WHERE k.tenantId = :t AND k.personId = :p", PersonKeyEntity.class)
                .setParameter("t", tenantId).setParameter("p", personId).getResultList().stream().findFirst();
    }

    /** The person's key, created on first use; refused once the person was erased. */
    DataKey personKey(String tenantId, String personId, KeyProvider p) {
        return heldKey(tenantId, personId, p, "This person's data was erased; new personal data needs a new person id.");
    }

    /**
     * The person id the tenant's blind-index key is held under, on the PII store like a person key
     * (wrapped by the master key, re-wrapped, escrowed and shredded with the tenant's person keys).
     * '~' is outside {@link #PERSON}, so no caller can name it: the person methods can neither
     * encrypt under it nor erase it.
     */
    static final String BLIND_INDEX = "~blind-index";

    /**
     * The tenant's blind-index key (CRY-4), created on first use and never rotated, so an index
     * stays valid for the tenant's lifetime; refused once the tenant's keys were shredded.
     */
    DataKey blindIndexKey(String tenantId, KeyProvider p) {
        return heldKey(tenantId, BLIND_INDEX, p, "This tenant's keys were shredded; its blind indexes are gone.");
    }

    private DataKey heldKey(String tenantId, String personId, KeyProvider p, String destroyed) {
        String slot = tenantId + '|' + personId;
        Owned cached = persons.get(slot);
        if (cached != null) {
            return cached.key();
        }
        synchronized (lock) {
            cached = persons.get(slot);
            if (cached != null) {
                return cached.key();
            }
            Optional<PersonKeyEntity> row = stores.piiTx(em -> personRow(em, tenantId, personId));
            if (row.isPresent() && DESTROYED.equals(row.get().state)) {
                throw new KeyDestroyedException(destroyed);
            }
            Owned key = row.map(r -> unwrap(r, p)).orElseGet(() -> createPersonKey(tenantId, personId, p));
            persons.put(slot, key);
            return key.key();
        }
    }

    private Owned createPersonKey(String tenantId, String personId, KeyProvider p) {
        DataKey created = DataKey.generate(KeyRef.random());
        PersonKeyEntity e = new PersonKeyEntity();
        e.keyId = created.ref().keyId().toString();
        e.tenantId = tenantId;
        e.personId = personId;
        WrappedKey wrapped = created.wrapWith(p, context(e));
        e.kekId = wrapped.kekId();
        e.wrapped = encoded(wrapped);
        e.state = ACTIVE;
        e.createdAt = clock.millis();
        stores.piiTx(em -> {
            em.persist(e);
            em.flush();
            emit(VaultEvents.PERSON_KEY_CREATED, tenantId, created.ref(), null, wrapped.kekId());
            return null;
        });
        return new Owned(created, tenantId, null);
    }

    /** The key a personal blob names, for that person only (ownership before existence, as for data keys). */
    DataKey resolvePerson(String tenantId, String personId, KeyRef ref, KeyProvider p) {
        Owned cached = persons.get(tenantId + '|' + personId);
        if (cached != null && cached.key().ref().equals(ref)) {
            return cached.key();
        }
        PersonKeyEntity row = stores.piiTx(em -> em.find(PersonKeyEntity.class, ref.keyId().toString()));
        if (row == null || !row.tenantId.equals(tenantId) || !row.personId.equals(personId)) {
            throw new DecryptionFailedException("The ciphertext does not decrypt for this person.");
        }
        if (DESTROYED.equals(row.state)) {
            throw new KeyDestroyedException("This person's data was erased; it cannot be recovered.");
        }
        return unwrap(row, p).key();
    }

    /** Destroys one person's key (IAM-5); the row stays as the record. */
    boolean erasePerson(String tenantId, String personId) {
        synchronized (lock) {
            long now = clock.millis();
            Optional<PersonKeyEntity> erased = stores.piiTx(em -> {
                Optional<PersonKeyEntity> r = personRow(em, tenantId, personId).filter(x -> !DESTROYED.equals(x.state));
                r.ifPresent(x -> {
                    x.destroy(now, false);
                    em.flush();
                    emit(VaultEvents.PERSON_KEY_DESTROYED, tenantId, new KeyRef(UUID.fromString(x.keyId), 1), null, null);
                });
                return r;
            });
            persons.remove(tenantId + '|' + personId);
            return erased.isPresent();
        }
    }

    // ---- caches

    /** Unwrapped keys must not outlive the master key they were unwrapped with. */
    void forgetAll() {
        current.clear();
        byRef.clear();
        persons.clear();
        forgetListeners.forEach(l -> l.accept(null));
    }

    /** After shredding: nothing of the tenant stays in memory, and nothing is cached for it again. */
    void forgetTenant(String tenantId) {
        shredded.add(tenantId);
        persons.keySet().removeIf(slot -> slot.startsWith(tenantId + '|'));
        current.keySet().removeIf(slot -> slot.startsWith(tenantId + '|'));
        byRef.values().removeIf(o -> o.tenantId().equals(tenantId));
        forgetListeners.forEach(l -> l.accept(tenantId));
    }

    /** A key version left service (archived, destroyed). */
    void forget(KeyRef ref) {
        byRef.remove(ref);
        archivedSeen.remove(ref);
    }

    /** The id of a tenant's key for a purpose (the same for every version), if it has one. */
    Optional<UUID> keyIdOf(String tenantId, KeyPurpose purpose) {
        Owned now = current.get(tenantId + '|' + purpose.id());
        if (now != null) {
            return Optional.of(now.key().ref().keyId());
        }
        return stores.tx(em -> em.createQuery("SELECT k.keyId FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p", String.class)
                .setParameter("t", tenantId).setParameter("p", purpose.id()).setMaxResults(1).getResultList().stream()
                .findFirst().map(UUID::fromString));
    }

    Instant now() {
        return clock.instant();
    }
}
