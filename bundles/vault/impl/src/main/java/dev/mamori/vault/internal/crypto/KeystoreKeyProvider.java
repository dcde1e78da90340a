package dev.mamori.vault.internal.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.util.PBKDF2Config;
import org.bouncycastle.jcajce.BCFKSLoadStoreParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.vault.UnknownKeyException;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultSealedException;
import dev.mamori.vault.spi.KeyProvider;
import dev.mamori.vault.spi.WrappedKey;

/**
 * The default {@link KeyProvider}: master keys (KEKs) are random AES-256 keys in a Bouncy Castle
 * FIPS-format keystore file (BCFKS) protected by a passphrase of at least
 * {@value #MIN_PASSPHRASE_LENGTH} characters. Each KEK version is one entry, aliased
 * {@code kek-<version>-<8 random hex digits>}; that alias is its KEK id, unique even across a
 * keystore that was lost and created anew. The highest version is current. Data keys are wrapped
 * with AES-256-GCM bound to the KEK id and the caller's context ({@link KeyWrap}).
 *
 * <p>Passphrase-derived keys (CRY-3): the file is written with its store key derived by
 * PBKDF2-HMAC-SHA512 with {@value #KDF_ITERATIONS} iterations and a 64-byte salt (OWASP's
 * minimum for that PRF), the whole entry set AES-256-CCM encrypted under it and the file
 * HMAC-SHA512-checked with a second key derived the same way. Bouncy Castle protects each entry
 * again with a fixed PBKDF2-HMAC-SHA512 of 51,200 iterations (not configurable in BC 1.83), but
 * those entries are only reachable inside the encrypted store, so the store KDF is what an
 * attacker with the file has to break. A file written with Bouncy Castle's defaults (51,200
 * iterations for the store too, as by earlier versions of this class) still opens, since reading
 * takes the parameters from the file, and is written with the parameters above at its next
 * change ({@link #rotate()}, {@link #destroy(String)}).
 *
 * <p>Opening reads every KEK into memory; {@link #close()} clears them and the passphrase copy
 * and seals the provider. A missing file (unless creation is allowed), a wrong passphrase or a
 * corrupt file throw {@link VaultSealedException} from the constructor: there is no way to get a
 * provider that would wrap without a real KEK. The file is written atomically and owner-only
 * (0600); an existing file readable by others is tightened to 0600 with a warning.
 *
 * <p>Thread-safe. One process owns a keystore file: two processes rotating the same file would
 * overwrite each other's new version.
 */
public final class KeystoreKeyProvider implements KeyProvider, AutoCloseable {
    /** This provider's id, the value of {@link KeyProvider#PROVIDER_ID}. */
    public static final String ID = "keystore";
    /** The keystore type. */
    public static final String KEYSTORE_TYPE = "BCFKS";
    /** The shortest passphrase accepted, in characters. */
    public static final int MIN_PASSPHRASE_LENGTH = 16;
    /** PBKDF2-HMAC-SHA512 iterations for the keystore's store key and integrity key. */
    public static final int KDF_ITERATIONS = 210_000;

    private static final PBKDF2Config STORE_KDF = new PBKDF2Config.Builder()
            .withIterationCount(KDF_ITERATIONS)
            .withPRF(PBKDF2Config.PRF_SHA512)
            .withSaltLength(64)
            .build();

    private static final Logger LOG = LoggerFactory.getLogger(KeystoreKeyProvider.class);
    private static final Pattern ALIAS = Pattern.compile("kek-(\\d+)-[0-9a-f]{8}");

    private final Path file;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** KEK id to raw KEK bytes; guarded by {@link #lock}. */
    private final Map<String, byte[]> keks = new HashMap<>();
    private char[] passphrase;
    private KeyStore store;
    private String current;
    private int currentVersion;
    private volatile boolean open;

    /**
     * Opens (or creates) the keystore and reads its master keys.
     *
     * @param file             the keystore file
     * @param passphrase       its passphrase, at least {@value #MIN_PASSPHRASE_LENGTH} characters;
     *                         copied, so the caller can clear its array at once
     * @param createIfMissing  whether to create the file with a first random KEK when it does not
     *                         exist (the zero-setup default); otherwise a missing file seals
     * @throws VaultSealedException if the passphrase is too short, the file is missing (and may
     *                              not be created) or cannot be read, the passphrase is wrong,
     *                              or the file is corrupt
     */
    public KeystoreKeyProvider(Path file, char[] passphrase, boolean createIfMissing) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new VaultSealedException("The master keystore passphrase is empty.");
        }
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
            throw new VaultSealedException("The master keystore passphrase is too short: it needs at least "
                    + MIN_PASSPHRASE_LENGTH + " characters.");
        }
        this.passphrase = passphrase.clone();
        try {
            if (Files.exists(this.file)) {
                load();
            } else if (createIfMissing) {
                create();
            } else {
                throw new VaultSealedException("Master keystore " + this.file + " does not exist.");
            }
        } catch (RuntimeException e) {
            wipe();
            throw e;
        }
        open = true;
    }

    /** @return the keystore file */
    public Path file() {
        return file;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean available() {
        return open;
    }

    @Override
    public String currentKekId() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return current;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean canDestroy() {
        return true;
    }

    /**
     * @return the ids of every KEK version in the keystore, oldest first
     * @throws VaultSealedException if closed
     */
    @Override
    public List<String> kekIds() {
        lock.readLock().lock();
        try {
            ensureOpen();
            List<String> ids = new ArrayList<>(keks.keySet());
            ids.sort(Comparator.comparingInt(KeystoreKeyProvider::version));
            return Collections.unmodifiableList(ids);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Wraps with AES-256-GCM under the current KEK, bound to its KEK id and {@code context}
     * ({@link KeyWrap}).
     */
    @Override
    public WrappedKey wrap(byte[] dek, byte[] context) {
        Objects.requireNonNull(dek, "dek");
        Objects.requireNonNull(context, "context");
        lock.readLock().lock();
        try {
            ensureOpen();
            return new WrappedKey(current, KeyWrap.wrap(keks.get(current), current, dek, context));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * @throws dev.mamori.vault.DecryptionFailedException also for a wrapped key in the legacy
     *         AES-KWP format, which carries no context and is never unwrapped
     */
    @Override
    public byte[] unwrap(WrappedKey wrapped, byte[] context) {
        Objects.requireNonNull(wrapped, "wrapped");
        Objects.requireNonNull(context, "context");
        lock.readLock().lock();
        try {
            ensureOpen();
            byte[] kek = keks.get(wrapped.kekId());
            if (kek == null) {
                throw new UnknownKeyException("Master key '" + wrapped.kekId() + "' is not in the keystore.");
            }
            return KeyWrap.unwrap(kek, wrapped.kekId(), wrapped.bytes(), context);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds a new KEK version, writes the keystore atomically and makes the new version current.
     * If writing fails, nothing changes.
     *
     * @throws VaultSealedException if closed
     * @throws VaultException       with code {@code keystore-write-failed} if the file cannot be
     *                              written
     */
    @Override
    public String rotate() {
        lock.writeLock().lock();
        try {
            ensureOpen();
            int version = currentVersion + 1;
            String alias = newAlias(version);
            byte[] kek = newKek();
            try {
                store.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(kek, "AES")),
                        new KeyStore.PasswordProtection(passphrase));
                SecureFiles.replace(file, serialize(store));
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                Zeroize.wipe(kek);
                try {
                    store.deleteEntry(alias);
                } catch (GeneralSecurityException ignored) {
                    // it was never added
                }
                throw new VaultException(VaultErrors.KEYSTORE_WRITE_FAILED,
                        "Could not store a new master key version in " + file + ": " + e.getMessage(), e);
            }
            keks.put(alias, kek);
            current = alias;
            currentVersion = version;
            LOG.info("Master key rotated: {} is now current in {}", alias, file);
            return alias;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Removes a non-current KEK version from the keystore and writes it atomically; the in-memory
     * copy is cleared. If writing fails, the version stays.
     */
    @Override
    public void destroy(String kekId) {
        Objects.requireNonNull(kekId, "kekId");
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (kekId.equals(current)) {
                throw new IllegalArgumentException("The current master key version cannot be destroyed.");
            }
            if (!keks.containsKey(kekId)) {
                throw new UnknownKeyException("Master key '" + kekId + "' is not in the keystore.");
            }
            try {
                KeyStore.Entry entry = store.getEntry(kekId, new KeyStore.PasswordProtection(passphrase));
                store.deleteEntry(kekId);
                try {
                    SecureFiles.replace(file, serialize(store));
                } catch (IOException | GeneralSecurityException | RuntimeException e) {
                    store.setEntry(kekId, entry, new KeyStore.PasswordProtection(passphrase));
                    throw e;
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new VaultException(VaultErrors.KEYSTORE_WRITE_FAILED,
                        "Could not remove master key version " + kekId + " from " + file + ": " + e.getMessage(), e);
            }
            Zeroize.wipe(keks.remove(kekId));
            LOG.warn("Master key version {} destroyed in {}", kekId, file);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Seals: clears every KEK and the passphrase from memory. Later calls throw {@link VaultSealedException}. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            open = false;
            wipe();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "KeystoreKeyProvider[" + file + (open ? ", current=" + current : ", sealed") + "]";
    }

    private void load() {
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance(KEYSTORE_TYPE, Bc.PROVIDER);
            ks.load(in, passphrase);
        } catch (NoSuchFileException e) {
            throw new VaultSealedException("Master keystore " + file + " does not exist.");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new VaultSealedException("Cannot open master keystore " + file
                    + ": wrong passphrase, or the file is corrupt or not a " + KEYSTORE_TYPE + " keystore.", e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ALIAS.matcher(alias).matches() || !ks.isKeyEntry(alias)) {
                    continue;
                }
                Key k = ks.getKey(alias, passphrase);
                byte[] raw = k == null ? null : k.getEncoded();
                if (raw == null || raw.length != KeyWrap.KEK_LENGTH) {
                    Zeroize.wipe(raw);
                    throw new VaultSealedException("Master keystore " + file + " holds an invalid master key '" + alias + "'.");
                }
                keks.put(alias, raw);
                int v = version(alias);
                if (v > currentVersion) {
                    currentVersion = v;
                    current = alias;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof VaultSealedException) {
                throw (VaultSealedException) e;
            }
            throw new VaultSealedException("Cannot read the master keys in " + file
                    + ": wrong passphrase, or the file is corrupt.", e);
        }
        if (current == null) {
            throw new VaultSealedException("Master keystore " + file + " contains no master key.");
        }
        store = ks;
        tightenPermissions();
        LOG.info("Master keystore {} opened: {} master key version(s), current {}", file, keks.size(), current);
    }

    private void create() {
        String alias = newAlias(1);
        byte[] kek = newKek();
        try {
            KeyStore ks = KeyStore.getInstance(KEYSTORE_TYPE, Bc.PROVIDER);
            ks.load(null, null);
            ks.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(kek, "AES")),
                    new KeyStore.PasswordProtection(passphrase));
            SecureFiles.create(file, serialize(ks));
            store = ks;
        } catch (FileAlreadyExistsException e) {
            Zeroize.wipe(kek);
            // created concurrently by someone else: open theirs
            load();
            return;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            Zeroize.wipe(kek);
            throw new VaultSealedException("Cannot create master keystore " + file + ": " + e.getMessage(), e);
        }
        keks.put(alias, kek);
        current = alias;
        currentVersion = 1;
        LOG.info("Master keystore {} created with master key {}", file, alias);
    }

    /** The whole keystore with the store parameters of this class, whatever the file had before. */
    private byte[] serialize(KeyStore ks) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        ks.store(new BCFKSLoadStoreParameter.Builder(out, passphrase)
                .withStorePBKDFConfig(STORE_KDF)
                .withStoreMacAlgorithm(BCFKSLoadStoreParameter.MacAlgorithm.HmacSHA512)
                .withStoreEncryptionAlgorithm(BCFKSLoadStoreParameter.EncryptionAlgorithm.AES256_CCM)
                .build());
        return out.toByteArray();
    }

    private void tightenPermissions() {
        if (!SecureFiles.posix(file)) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!SecureFiles.OWNER_ONLY.containsAll(perms)) {
                LOG.warn("Master keystore {} was accessible to others ({}); restricting it to its owner (rw-------)",
                        file, java.nio.file.attribute.PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(file, SecureFiles.OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Could not check the permissions of master keystore {}: {}", file, e.toString());
        }
    }

    private void ensureOpen() {
        if (!open) {
            throw new VaultSealedException("The master keystore " + file + " is sealed.");
        }
    }

    /** Clears key material; caller holds the write lock or is the constructor. */
    private void wipe() {
        for (byte[] k : keks.values()) {
            Zeroize.wipe(k);
        }
        keks.clear();
        Zeroize.wipe(passphrase);
        passphrase = null;
        store = null;
        current = null;
    }

    private static String newAlias(int version) {
        byte[] r = new byte[4];
        Nonces.next(r, 0, 4);
        return "kek-" + version + "-" + HexFormat.of().formatHex(r);
    }

    private static byte[] newKek() {
        byte[] kek = new byte[KeyWrap.KEK_LENGTH];
        Nonces.strong().nextBytes(kek);
        return kek;
    }

    private static int version(String alias) {
        Matcher m = ALIAS.matcher(alias);
        if (!m.matches()) {
            throw new IllegalArgumentException(alias);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Created on first use: building the provider takes a moment; it is never registered globally. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
