package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultEvents;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.SecureFiles;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The master-key side of the vault: rotation (every key re-wrapped, no data re-encrypted), key
 * cut-offs (new master key, every surviving key re-wrapped and escrowed, older master keys
 * destroyed) and restoring keys from the escrow after a database restore.
 *
 * <p>What a cut-off reaches: copies of the key tables (database backups) taken before it no longer
 * unwrap anything with the current keystore. A copy of the keystore itself taken before the cut-off
 * still holds the destroyed master keys, and the passphrase does not change: keep no old copies of
 * the keystore, and never store keystore copies with database backups.
 */
@Component(service = CutOffs.class, configurationPid = VaultKeys.PID)
public class CutOffs {
    private static final Logger LOG = LoggerFactory.getLogger(CutOffs.class);

    private final VaultKeys keys;
    private volatile VaultSettings settings;

    /**
     * @param keys   the key holder
     * @param config configuration
     */
    @Activate
    public CutOffs(@Reference VaultKeys keys, VaultSettings.Config config) {
        this(keys, VaultSettings.of(config));
    }

    CutOffs(VaultKeys keys, VaultSettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    @Modified
    void modified(VaultSettings.Config config) {
        settings = VaultSettings.of(config);
    }

    /** @return the new master key id and how many keys were re-wrapped, {@code "kek-2-… 42"} */
    String rotateMaster() {
        KeyProvider p = keys.unsealed();
        synchronized (keys.lock) {
            String kek = p.rotate();
            int done = rewrapAll(p, kek, null);
            LOG.info("Master key rotated to {}; {} data, signing and person key(s) re-wrapped", kek, done);
            keys.emit(VaultEvents.MASTER_KEY_ROTATED, null, null, null, kek);
            return kek + " " + done;
        }
    }

    /** The tables of wrapped keys: data and signing keys on the main store, person keys on the PII store. */
    private static final List<Class<? extends StoredKey>> TABLES = List.of(DataKeyEntity.class, SigningKeyEntity.class,
            PersonKeyEntity.class);

    /** One transaction on the store that holds {@code type}. */
    private <T> T tx(Class<? extends StoredKey> type, java.util.function.Function<javax.persistence.EntityManager, T> work) {
        return type == PersonKeyEntity.class ? keys.stores().piiTx(work) : keys.stores().tx(work);
    }

    private static String entity(Class<?> type) {
        return type.getAnnotation(javax.persistence.Entity.class).name();
    }

    /** How many keys of every table match {@code where} (on alias k, parameter d = DESTROYED). */
    private long count(String where, String name, Object value) {
        long n = 0;
        for (Class<? extends StoredKey> type : TABLES) {
            n += tx(type, em -> em.createQuery("SELECT COUNT(k) FROM " + entity(type) + " k WHERE " + where, Long.class)
                    .setParameter("d", VaultKeys.DESTROYED).setParameter(name, value).getSingleResult());
        }
        return n;
    }

    /**
     * Re-wraps every live data, signing and person key not yet under {@code kek}; returns how many. With
     * {@code held}, only keys under those master key versions: a key under a version this provider
     * does not hold (restored from an old backup) cannot be re-wrapped and must not block the rest.
     */
    private int rewrapAll(KeyProvider p, String kek, Set<String> held) {
        int done = 0;
        for (Class<? extends StoredKey> type : TABLES) {
            done += rewrap(type, p, kek, held);
        }
        return done;
    }

    private <K extends StoredKey> int rewrap(Class<K> type, KeyProvider p, String kek, Set<String> held) {
        List<K> rows = tx(type, em -> em.createQuery("SELECT k FROM " + entity(type) + " k WHERE k.state <> :d AND k.kekId <> :kek",
                type).setParameter("d", VaultKeys.DESTROYED).setParameter("kek", kek).getResultList());
        rows.removeIf(r -> held != null && !held.contains(r.kekId));
        for (K row : rows) {
            WrappedKey rewrapped = p.rewrap(VaultKeys.stored(row.kekId, row.wrapped), row.wrapContext());
            tx(type, em -> {
                K managed = em.find(type, row.primaryKey());
                if (managed != null && !VaultKeys.DESTROYED.equals(managed.state)) {
                    managed.kekId = rewrapped.kekId();
                    managed.wrapped = VaultKeys.encoded(rewrapped);
                }
                return null;
            });
        }
        return rows.size();
    }

    /** The cut-off: see {@link dev.mamori.vault.VaultAdmin#cutOff()}. */
    KeyCutOff cutOff() {
        KeyProvider p = keys.unsealed();
        if (!p.canDestroy()) {
            throw new VaultException(VaultErrors.CUTOFF_UNSUPPORTED, "Key provider '" + p.id() + "' cannot destroy master key "
                    + "versions, so destroyed keys would stay readable in older copies of the key tables; nothing done.");
        }
        synchronized (keys.lock) {
            return cutOffLocked(p);
        }
    }

    private KeyCutOff cutOffLocked(KeyProvider p) {
        VaultStores stores = keys.stores();
        // the destroyed keys this cut-off covers; anything destroyed later waits for the next one
        Map<Class<? extends StoredKey>, List<Object>> covered = new HashMap<>();
        for (Class<? extends StoredKey> type : TABLES) {
            covered.put(type, tx(type, em -> em.createQuery("SELECT k FROM " + entity(type) + " k WHERE k.state = :d "
                    + "AND k.cutOff = false", type).setParameter("d", VaultKeys.DESTROYED).getResultList()).stream()
                    .map(StoredKey::primaryKey).collect(Collectors.toList()));
        }
        Set<String> held = new HashSet<>(p.kekIds());
        // the previous escrow is read while the master key it was sealed with still exists
        Set<String> destroyedKeks = previouslyDestroyed(p);
        String kek = p.rotate();
        keys.emit(VaultEvents.MASTER_KEY_ROTATED, null, null, null, kek);
        int rewrapped = rewrapAll(p, kek, held);
        // every live key the provider can open must be under the new version before any older one goes
        long behind = count("k.state <> :d AND k.kekId IN :held", "held", held);
        if (behind != 0) {
            throw new VaultException(VaultErrors.CUTOFF_INCOMPLETE, behind + " key(s) are still wrapped under an older master key; "
                    + "no master key was destroyed.");
        }
        Instant at = keys.now();
        // keys under a master key this provider never held (restored from an old backup) cannot be escrowed
        List<KeyEscrow.Entry> entries = escrowEntries().stream().filter(e -> kek.equals(e.kekId())).collect(Collectors.toList());
        List<String> older = p.kekIds().stream().filter(id -> !id.equals(kek)).collect(Collectors.toList());
        destroyedKeks.addAll(older);
        writeEscrow(p, kek, at, entries, destroyedKeks);
        List<String> destroyed = new ArrayList<>();
        for (String old : older) {
            p.destroy(old);
            destroyed.add(old);
            keys.emit(VaultEvents.MASTER_KEY_DESTROYED, null, null, null, old);
        }
        if (!p.kekIds().equals(List.of(kek))) {
            throw new VaultException(VaultErrors.CUTOFF_INCOMPLETE, "Master key versions " + p.kekIds() + " are still held after "
                    + "destroying the older ones; the key provider did not destroy them.");
        }
        CutOffEntity row = new CutOffEntity();
        row.cutoffId = UUID.randomUUID().toString();
        row.kekId = kek;
        row.destroyedKeks = abbreviate(String.join(",", destroyed), 2000);
        row.rewrapped = rewrapped;
        row.escrow = abbreviate(settings.escrow().toString(), 1000);
        row.atMillis = at.toEpochMilli();
        stores.tx(em -> {
            em.persist(row);
            return null;
        });
        for (Class<? extends StoredKey> type : TABLES) {
            tx(type, em -> {
                for (Object pk : covered.get(type)) {
                    StoredKey d = em.find(type, pk);
                    if (d != null) {
                        d.cutOff = true;
                    }
                }
                return null;
            });
        }
        LOG.warn("Key cut-off: master key {} current, {} key(s) re-wrapped, escrow {}, destroyed master key version(s) {}. "
                + "Database backups taken before now need this escrow (copy it). Any copy of the keystore taken before now still "
                + "holds the destroyed master keys and, with an old database backup, brings destroyed keys back: destroy such "
                + "copies and keep only the current keystore, never with the database backups.", kek, rewrapped, settings.escrow(),
                destroyed);
        return new KeyCutOff(kek, destroyed, rewrapped, settings.escrow().toString(), at);
    }

    /** The master keys earlier cut-offs destroyed: from the table, and from the last escrow (the table may be a restored one). */
    private Set<String> previouslyDestroyed(KeyProvider p) {
        Set<String> destroyedKeks = new TreeSet<>();
        for (String list : keys.stores().tx(em -> em.createQuery("SELECT c.destroyedKeks FROM CutOff c", String.class).getResultList())) {
            destroyedKeks.addAll(splitIds(list));
        }
        for (Path previous : escrowFiles()) {
            if (Files.exists(previous)) {
                try {
                    KeyEscrow.Contents c = KeyEscrow.read(previous);
                    KeyEscrow.verify(c, p);
                    destroyedKeks.addAll(c.destroyedKekIds());
                } catch (VaultException e) {
                    LOG.warn("Previous key escrow {} unreadable or not authentic ({}); its list of destroyed master keys is not "
                            + "carried over", previous, e.getMessage());
                }
            }
        }
        destroyedKeks.removeIf(id -> id.endsWith("…"));
        return destroyedKeks;
    }

    /** Every key that survives (not destroyed), as escrow lines. */
    private List<KeyEscrow.Entry> escrowEntries() {
        List<KeyEscrow.Entry> entries = new ArrayList<>();
        for (DataKeyEntity r : keys.stores().tx(em -> em.createQuery("SELECT k FROM DataKey k WHERE k.state <> :d "
                + "ORDER BY k.tenantId, k.purpose, k.version", DataKeyEntity.class).setParameter("d", VaultKeys.DESTROYED).getResultList())) {
            entries.add(new KeyEscrow.Entry('D', r.keyId, r.version, r.tenantId, r.purpose, r.kekId, r.wrapped));
        }
        for (SigningKeyEntity r : keys.stores().tx(em -> em.createQuery("SELECT k FROM SigningKey k WHERE k.state <> :d "
                + "ORDER BY k.tenantId, k.purpose, k.version", SigningKeyEntity.class).setParameter("d", VaultKeys.DESTROYED)
                .getResultList())) {
            entries.add(new KeyEscrow.Entry('S', r.keyId, r.version, r.tenantId, r.purpose, r.kekId, r.wrapped,
                    new KeyEscrow.Signing(r.publicKey, r.createdAt, r.retiredAt)));
        }
        for (PersonKeyEntity r : keys.stores().piiTx(em -> em.createQuery("SELECT k FROM PersonKey k WHERE k.state <> :d "
                + "ORDER BY k.tenantId, k.personId", PersonKeyEntity.class).setParameter("d", VaultKeys.DESTROYED).getResultList())) {
            entries.add(new KeyEscrow.Entry('P', r.keyId, 1, r.tenantId, r.personId, r.kekId, r.wrapped));
        }
        return entries;
    }

    /** Writes the escrow (and its copy), sealed, and reads it back: no master key is destroyed unless the escrow restores. */
    private void writeEscrow(KeyProvider p, String kek, Instant at, List<KeyEscrow.Entry> entries, Set<String> destroyedKeks) {
        byte[] content = KeyEscrow.seal(KeyEscrow.format(kek, at, entries, destroyedKeks), p);
        for (Path file : escrowFiles()) {
            try {
                SecureFiles.replace(file, content);
                KeyEscrow.Contents back = KeyEscrow.read(file);
                KeyEscrow.verify(back, p);
                if (!back.entries().equals(entries) || !back.kekId().equals(kek)) {
                    throw new IOException("the escrow read back differs from what was written");
                }
            } catch (IOException | VaultException e) {
                throw new VaultException(VaultErrors.ESCROW_WRITE_FAILED, "Could not write the key escrow " + file + ": "
                        + e.getMessage() + "; no master key was destroyed.", e);
            }
        }
    }

    /** @return whether a key escrow exists in either place (then this installation had keys) */
    boolean escrowExists() {
        return escrowFiles().stream().anyMatch(Files::exists);
    }

    private List<Path> escrowFiles() {
        VaultSettings s = settings;
        return s.escrowCopy() == null ? List.of(s.escrow()) : List.of(s.escrow(), s.escrowCopy());
    }

    private static List<String> splitIds(String list) {
        return list == null || list.isBlank() ? List.of() : java.util.Arrays.asList(list.split(","));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Whether a key was destroyed that older copies of the key tables still hold (no cut-off since). */
    boolean cutOffPending() {
        return count("k.state = :d AND k.cutOff = :c", "c", false) > 0;
    }

    /** See {@link dev.mamori.vault.VaultAdmin#restoreKeys}. */
    KeyRestoreReport restoreKeys(Path escrow, boolean apply) {
        KeyProvider p = keys.unsealed();
        if (!p.canDestroy()) {
            throw new VaultException(VaultErrors.RESTORE_UNSUPPORTED, "Key provider '" + p.id() + "' makes no cut-offs, so there "
                    + "is no escrow to restore from; older backups open with the keys as they are.");
        }
        KeyEscrow.Contents contents = KeyEscrow.read(escrow);
        Set<String> live = new HashSet<>(p.kekIds());
        if (!live.contains(contents.kekId())) {
            throw new VaultException(VaultErrors.ESCROW_STALE, "The escrow " + escrow + " was written under master key "
                    + contents.kekId() + ", which this key provider does not hold: use the escrow of the latest cut-off "
                    + "of this installation. Nothing changed.");
        }
        KeyEscrow.verify(contents, p);
        Map<String, KeyEscrow.Entry> byKey = new HashMap<>();
        for (KeyEscrow.Entry e : contents.entries()) {
            byKey.put(e.kind() + "|" + e.keyId() + "|" + e.version(), e);
        }
        int[] counts = new int[4];
        synchronized (keys.lock) {
            long now = keys.clock().millis();
            keys.stores().tx(em -> {
                List<DataKeyEntity> destroyed = new ArrayList<>();
                for (DataKeyEntity r : em.createQuery("SELECT k FROM DataKey k WHERE k.state <> :d", DataKeyEntity.class)
                        .setParameter("d", VaultKeys.DESTROYED).getResultList()) {
                    KeyEscrow.Entry e = byKey.get("D|" + r.keyId + "|" + r.version);
                    if (restoreRow(r, e, e != null && e.scope().equals(r.purpose), live, contents, apply, now, counts)) {
                        destroyed.add(r);
                    }
                }
                em.flush();
                for (DataKeyEntity r : destroyed) {
                    keys.emit(VaultEvents.DATA_KEY_DESTROYED, r.tenantId, KeyLifecycle.ref(r), KeyPurpose.fromId(r.purpose), null);
                }
                return null;
            });
            keys.stores().tx(em -> {
                restoreSigningKeys(em, contents, byKey, live, apply, now, counts);
                return null;
            });
            keys.stores().piiTx(em -> {
                List<PersonKeyEntity> destroyed = new ArrayList<>();
                for (PersonKeyEntity r : em.createQuery("SELECT k FROM PersonKey k WHERE k.state <> :d", PersonKeyEntity.class)
                        .setParameter("d", VaultKeys.DESTROYED).getResultList()) {
                    KeyEscrow.Entry e = byKey.get("P|" + r.keyId + "|1");
                    if (restoreRow(r, e, e != null && e.scope().equals(r.personId), live, contents, apply, now, counts)) {
                        destroyed.add(r);
                    }
                }
                em.flush();
                for (PersonKeyEntity r : destroyed) {
                    keys.emit(VaultEvents.PERSON_KEY_DESTROYED, r.tenantId, new KeyRef(UUID.fromString(r.keyId), 1), null, null);
                }
                return null;
            });
            if (apply) {
                keys.forgetAll();
            }
        }
        KeyRestoreReport report = new KeyRestoreReport(counts[1], counts[0], counts[2], counts[3], apply);
        if (apply) {
            keys.emit(VaultEvents.KEYS_RESTORED, null, null, null, p.currentKekId());
            LOG.warn("Keys restored from escrow {}: {}", escrow, report);
        }
        return report;
    }

    /**
     * Signing keys: each restored row as a data key's; and every version the escrow holds that the
     * restored tables lack (made after the backup) is put back, so signatures it made keep verifying
     * and its version number is never made again for another key. Then the newest version of each
     * owner and purpose signs, the others are retired.
     */
    private void restoreSigningKeys(javax.persistence.EntityManager em, KeyEscrow.Contents contents,
            Map<String, KeyEscrow.Entry> byKey, Set<String> live, boolean apply, long now, int[] counts) {
        List<SigningKeyEntity> rows = em.createQuery("SELECT k FROM SigningKey k", SigningKeyEntity.class).getResultList();
        Set<String> present = rows.stream().map(r -> r.keyId + "|" + r.version).collect(Collectors.toSet());
        List<SigningKeyEntity> destroyed = new ArrayList<>();
        List<SigningKeyEntity> alive = new ArrayList<>();
        for (SigningKeyEntity r : rows) {
            if (VaultKeys.DESTROYED.equals(r.state)) {
                continue;
            }
            KeyEscrow.Entry e = byKey.get("S|" + r.keyId + "|" + r.version);
            if (restoreRow(r, e, e != null && e.scope().equals(r.purpose), live, contents, apply, now, counts)) {
                destroyed.add(r);
            } else {
                alive.add(r);
            }
        }
        for (KeyEscrow.Entry e : contents.entries()) {
            if (e.kind() == 'S' && e.signing() != null && !present.contains(e.keyId() + "|" + e.version()) && live.contains(e.kekId())) {
                counts[1]++;
                if (apply) {
                    SigningKeyEntity row = new SigningKeyEntity();
                    row.keyId = e.keyId();
                    row.version = e.version();
                    row.tenantId = e.tenantId();
                    row.purpose = e.scope();
                    row.publicKey = e.signing().publicKey();
                    row.kekId = e.kekId();
                    row.wrapped = e.wrapped();
                    row.createdAt = e.signing().createdAt();
                    row.retiredAt = e.signing().retiredAt();
                    row.state = VaultKeys.RETIRED;
                    em.persist(row);
                    alive.add(row);
                }
            }
        }
        if (apply) {
            Map<String, List<SigningKeyEntity>> byOwner = new HashMap<>();
            for (SigningKeyEntity r : alive) {
                byOwner.computeIfAbsent(r.tenantId + "|" + r.purpose, k -> new ArrayList<>()).add(r);
            }
            for (List<SigningKeyEntity> versions : byOwner.values()) {
                versions.sort(java.util.Comparator.comparingInt(r -> r.version));
                for (int i = 0; i < versions.size(); i++) {
                    SigningKeyEntity r = versions.get(i);
                    boolean newest = i == versions.size() - 1;
                    r.state = newest ? VaultKeys.ACTIVE : VaultKeys.RETIRED;
                    if (newest) {
                        r.retiredAt = null;
                    } else if (r.retiredAt == null) {
                        r.retiredAt = versions.get(i + 1).createdAt;
                    }
                }
            }
        }
        em.flush();
        for (SigningKeyEntity r : destroyed) {
            keys.emitSigning(VaultEvents.SIGNING_KEY_DESTROYED, r.tenantId, SigningKeys.ref(r), r.purpose, null);
        }
    }

    /**
     * One restored row: unchanged (its master key is held), restored (the escrow has it under a held
     * master key), unrecoverable (its master key is listed as destroyed) or unknown (left alone).
     *
     * @return whether it was marked destroyed now
     */
    private static boolean restoreRow(StoredKey r, KeyEscrow.Entry e, boolean sameScope, Set<String> live,
            KeyEscrow.Contents contents, boolean apply, long now, int[] counts) {
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
                return true;
            }
        } else {
            counts[3]++;
        }
        return false;
    }
}
