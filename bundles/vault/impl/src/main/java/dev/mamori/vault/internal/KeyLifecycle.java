package dev.mamori.vault.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ShredReport;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultEvents;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.DataKey;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.Zeroize;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * The life of data key versions: rotation (ACTIVE to RETIRED), archiving after re-encryption,
 * destruction of archived versions once their backups have expired, and crypto-shredding of a
 * DELETED tenant (followed by a cut-off).
 */
@Component(service = KeyLifecycle.class, configurationPid = VaultKeys.PID)
public class KeyLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLifecycle.class);

    private final VaultKeys keys;
    private final SigningKeys signing;
    private final CutOffs cutOffs;
    private final TenantService tenants;
    private volatile VaultSettings settings;

    /**
     * @param keys    the key holder
     * @param signing the signing keys (destroyed with their tenant)
     * @param cutOffs what shredding ends with
     * @param tenants tenant states (shredding is for DELETED tenants only)
     * @param config  configuration
     */
    @Activate
    public KeyLifecycle(@Reference VaultKeys keys, @Reference SigningKeys signing, @Reference CutOffs cutOffs,
            @Reference TenantService tenants, VaultSettings.Config config) {
        this(keys, signing, cutOffs, tenants, VaultSettings.of(config));
    }

    KeyLifecycle(VaultKeys keys, SigningKeys signing, CutOffs cutOffs, TenantService tenants, VaultSettings settings) {
        this.keys = keys;
        this.signing = signing;
        this.cutOffs = cutOffs;
        this.tenants = tenants;
        this.settings = settings;
    }

    @Modified
    void modified(VaultSettings.Config config) {
        settings = VaultSettings.of(config);
    }

    /** New data key version for a tenant and purpose; the previous one is RETIRED and keeps decrypting. */
    KeyInfo rotateTenantKey(String tenantId, KeyPurpose purpose) {
        KeyProvider p = keys.unsealed();
        tenants.get(tenantId);
        synchronized (keys.lock) {
            VaultKeys.Owned now = keys.loadCurrent(tenantId, purpose, p).orElse(null);
            DataKey next = DataKey.generate(now == null ? KeyRef.random() : now.key().ref().next());
            if (now != null) {
                keys.stores().tx(em -> {
                    DataKeyEntity old = em.find(DataKeyEntity.class, new DataKeyEntity.Pk(now.key().ref().keyId().toString(),
                            now.key().ref().version()));
                    old.state = VaultKeys.RETIRED;
                    return null;
                });
            }
            VaultKeys.Owned created = keys.persist(next, tenantId, purpose, p);
            keys.emit(VaultEvents.DATA_KEY_ROTATED, tenantId, next.ref(), purpose, p.currentKekId());
            keys.setCurrent(created);
            return info(keys.stores().tx(em -> em.find(DataKeyEntity.class,
                    new DataKeyEntity.Pk(next.ref().keyId().toString(), next.ref().version()))));
        }
    }

    List<KeyInfo> keys(String tenantId) {
        return keys.stores().tx(em -> em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t ORDER BY k.purpose, k.version",
                DataKeyEntity.class).setParameter("t", tenantId).getResultList()).stream().map(KeyLifecycle::info)
                .collect(Collectors.toList());
    }

    static KeyInfo info(DataKeyEntity row) {
        return new KeyInfo(row.keyId, row.version, row.tenantId, KeyPurpose.fromId(row.purpose),
                KeyInfo.State.valueOf(row.state), row.kekId, Instant.ofEpochMilli(row.createdAt),
                row.destroyedAt == null ? null : Instant.ofEpochMilli(row.destroyedAt));
    }

    /** The active version of a tenant's key, if it has one. */
    Optional<Integer> currentVersion(String tenantId, KeyPurpose purpose) {
        return keys.stores().tx(em -> em.createQuery("SELECT k.version FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p "
                + "AND k.state = :s", Integer.class).setParameter("t", tenantId).setParameter("p", purpose.id())
                .setParameter("s", VaultKeys.ACTIVE).getResultList().stream().findFirst());
    }

    /** Versions below {@code target} that still decrypt (RETIRED or ARCHIVED). */
    List<Integer> retiredBelow(String tenantId, KeyPurpose purpose, int target) {
        return keys.stores().tx(em -> em.createQuery("SELECT k.version FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p "
                + "AND k.state IN :s AND k.version < :v ORDER BY k.version", Integer.class).setParameter("t", tenantId)
                .setParameter("p", purpose.id()).setParameter("s", List.of(VaultKeys.RETIRED, VaultKeys.ARCHIVED))
                .setParameter("v", target).getResultList());
    }

    /**
     * Archives the versions below {@code target} once their data is re-encrypted: kept for
     * restoring backups taken before, destroyed after the retention. Rows are locked and re-checked,
     * so a shredding or expiry that committed meanwhile is never undone.
     *
     * @return the versions archived
     */
    List<Integer> archiveRetired(String tenantId, KeyPurpose purpose, int target) {
        synchronized (keys.lock) {
            long now = keys.clock().millis();
            List<DataKeyEntity> rows = keys.stores().tx(em -> {
                List<DataKeyEntity> found = em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.purpose = :p "
                        + "AND k.state IN :s AND k.version < :v ORDER BY k.version", DataKeyEntity.class).setParameter("t", tenantId)
                        .setParameter("p", purpose.id()).setParameter("s", List.of(VaultKeys.RETIRED, VaultKeys.ARCHIVED))
                        .setParameter("v", target).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
                found.removeIf(row -> !VaultKeys.RETIRED.equals(row.state) && !VaultKeys.ARCHIVED.equals(row.state));
                for (DataKeyEntity row : found) {
                    row.state = VaultKeys.ARCHIVED;
                    row.archivedAt = now;
                }
                em.flush();
                for (DataKeyEntity row : found) {
                    keys.emit(VaultEvents.DATA_KEY_ARCHIVED, row.tenantId, ref(row), purpose, null);
                }
                return found;
            });
            rows.forEach(row -> keys.forget(ref(row)));
            return rows.stream().map(r -> r.version).collect(Collectors.toList());
        }
    }

    /** Archived versions older than the retention: their backups have expired, so the key goes. */
    int destroyExpiredArchives() {
        synchronized (keys.lock) {
            long now = keys.clock().millis();
            long limit = now - TimeUnit.DAYS.toMillis(settings.archivedRetentionDays());
            List<DataKeyEntity> gone = keys.stores().tx(em -> {
                List<DataKeyEntity> rows = em.createQuery("SELECT k FROM DataKey k WHERE k.state = :a AND k.archivedAt < :limit",
                        DataKeyEntity.class).setParameter("a", VaultKeys.ARCHIVED).setParameter("limit", limit).getResultList();
                for (DataKeyEntity row : rows) {
                    // its backups have expired: no copy holding it is kept, so no cut-off is owed
                    row.destroy(now, true);
                }
                em.flush();
                for (DataKeyEntity row : rows) {
                    keys.emit(VaultEvents.DATA_KEY_DESTROYED, row.tenantId, ref(row), KeyPurpose.fromId(row.purpose), null);
                }
                return rows;
            });
            gone.forEach(row -> keys.forget(ref(row)));
            if (!gone.isEmpty()) {
                LOG.info("Destroyed {} archived data key version(s) older than {} days", gone.size(), settings.archivedRetentionDays());
            }
            return gone.size();
        }
    }

    /**
     * Crypto-shredding: every data, signing and person key of a DELETED tenant destroyed, then a cut-off
     * puts them out of reach of every earlier copy of the key tables held with the current keystore.
     */
    ShredReport shredTenant(String tenantId, String confirmation) {
        keys.unsealed();
        Tenant tenant = tenants.get(tenantId);
        if (!tenant.id().equals(confirmation)) {
            throw new VaultException(VaultErrors.SHRED_NOT_CONFIRMED, "Shredding needs the tenant's id repeated as confirmation; "
                    + "nothing destroyed.");
        }
        if (tenant.state() != TenantState.DELETED) {
            throw new VaultException(VaultErrors.SHRED_REFUSED, "Tenant '" + tenant.slug() + "' is " + tenant.state()
                    + "; only a DELETED tenant's keys can be shredded. Nothing destroyed.");
        }
        List<KeyInfo> destroyed;
        int people;
        int signatures;
        synchronized (keys.lock) {
            long now = keys.clock().millis();
            destroyed = keys.stores().tx(em -> {
                List<DataKeyEntity> rows = em.createQuery("SELECT k FROM DataKey k WHERE k.tenantId = :t AND k.state <> :d",
                        DataKeyEntity.class).setParameter("t", tenantId).setParameter("d", VaultKeys.DESTROYED).getResultList();
                List<KeyInfo> out = new ArrayList<>();
                for (DataKeyEntity row : rows) {
                    row.destroy(now, false);
                    out.add(info(row));
                }
                em.flush();
                for (DataKeyEntity row : rows) {
                    keys.emit(VaultEvents.DATA_KEY_DESTROYED, tenantId, ref(row), KeyPurpose.fromId(row.purpose), null);
                }
                return out;
            });
            signatures = signing.destroyTenant(tenantId, now);
            people = keys.stores().piiTx(em -> {
                List<PersonKeyEntity> rows = em.createQuery("SELECT k FROM PersonKey k WHERE k.tenantId = :t AND k.state <> :d",
                        PersonKeyEntity.class).setParameter("t", tenantId).setParameter("d", VaultKeys.DESTROYED).getResultList();
                for (PersonKeyEntity row : rows) {
                    row.destroy(now, false);
                }
                em.flush();
                for (PersonKeyEntity row : rows) {
                    keys.emit(VaultEvents.PERSON_KEY_DESTROYED, tenantId, new KeyRef(UUID.fromString(row.keyId), 1), null, null);
                }
                return rows.size();
            });
            keys.forgetTenant(tenantId);
        }
        LOG.warn("Crypto-shredded {} data key(s), {} signing key(s) and {} person key(s) of tenant {}", destroyed.size(), signatures,
                people, tenant.slug());
        KeyCutOff cut;
        try {
            cut = cutOffs.cutOff();
        } catch (RuntimeException e) {
            throw new VaultException(VaultErrors.CUTOFF_FAILED, "Destroyed " + destroyed.size() + " data key(s) and " + people
                    + " person key(s) (and " + signatures + " signing key version(s)) of tenant " + tenant.slug() + ", but the cut-off that puts them out of reach of "
                    + "older copies (backups) failed: " + e.getMessage() + " It is retried by the vault's maintenance job; "
                    + "or run mamori:vault-cutoff.", e);
        }
        return new ShredReport(tenantId, destroyed, people, signatures, cut);
    }

    static KeyRef ref(DataKeyEntity row) {
        return new KeyRef(UUID.fromString(row.keyId), row.version);
    }

    /** Decrypts with any live version, encrypts under the current one; the tenant must be bound. */
    ReEncryptor reEncryptor(dev.mamori.vault.VaultService vault, String tenantId, KeyPurpose purpose, int target) {
        // looked up once per batch, not once per blob
        Optional<UUID> keyId = keys.keyIdOf(tenantId, purpose);
        return new ReEncryptor() {
            @Override
            public boolean isCurrent(byte[] blob) {
                KeyRef ref = KeyRef.named(blob);
                // another key id is not this tenant's and purpose's: re-encrypting it fails loudly
                return ref.version() >= target && keyId.map(ref.keyId()::equals).orElse(false);
            }

            @Override
            public byte[] reEncrypt(byte[] blob, byte[] associatedData) {
                byte[] plain = vault.decrypt(tenantId, purpose, blob, associatedData);
                try {
                    return vault.encrypt(tenantId, purpose, plain, associatedData);
                } finally {
                    Zeroize.wipe(plain);
                }
            }

            @Override
            public void reEncrypt(InputStream source, OutputStream sink, byte[] associatedData) throws IOException {
                OutputStream keepOpen = new FilterOutputStream(sink) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                try (InputStream in = vault.decryptingStream(tenantId, purpose, source, associatedData);
                        OutputStream out = vault.encryptingStream(tenantId, purpose, keepOpen, associatedData)) {
                    in.transferTo(out);
                }
            }
        };
    }
}
