package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.config.Placeholders;
import dev.mamori.vault.VaultErrors;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultUnsealer;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;
import dev.mamori.vault.internal.crypto.SecureFiles;
import dev.mamori.vault.spi.KeyProvider;

/**
 * The default {@link KeyProvider}: master keys in a BCFKS keystore file. The passphrase comes
 * from {@code MAMORI_MASTER_PASSPHRASE} or a file (owner-only, or it is refused).
 *
 * <p>A keystore is created only on a truly empty installation: no wrapped key stored and no key
 * escrow. A keystore that is missing while keys exist (an unmounted volume, a lost file) is never
 * replaced — that would orphan every data key and, at the next cut-off, overwrite the escrow with
 * one that holds none of them: the vault stays sealed and says why. With the passphrase in the
 * environment (production) nothing is generated at all; {@code mamori:vault-unseal --init} creates
 * the first keystore. Only the zero-setup default generates both keystore and passphrase file.
 */
@Component(immediate = true, configurationPid = KeystoreProviderComponent.PID, service = VaultUnsealer.class)
@Designate(ocd = KeystoreProviderComponent.Config.class)
public class KeystoreProviderComponent implements VaultUnsealer {
    static final String PID = "dev.mamori.vault.keystore";
    static final String ENV = "MAMORI_MASTER_PASSPHRASE";
    private static final Logger LOG = LoggerFactory.getLogger(KeystoreProviderComponent.class);

    /** Keystore key provider configuration (PID dev.mamori.vault.keystore). */
    @ObjectClassDefinition(name = "Mamori vault keystore", description = "Master keys in a BCFKS keystore.")
    public @interface Config {
        /** @return keystore */
        @AttributeDefinition(description = "BCFKS keystore holding the master key versions. Keep it out of the folders "
                + "database backups copy (data/), and away from its passphrase.")
        String keystore() default "${karaf.base}/vault/master.bcfks";

        /** @return passphrase file */
        @AttributeDefinition(description = "File with the keystore passphrase (owner-only), when MAMORI_MASTER_PASSPHRASE is not set.")
        String passphrase_file() default "${karaf.base}/vault-passphrase/master-passphrase";

        /** @return generate */
        @AttributeDefinition(description = "On an installation that never had keys, and with no passphrase in the "
                + "environment, create keystore and passphrase file at first start (zero-setup default).")
        boolean generate() default true;
    }

    /** What the provider needs from the rest of the vault: whether this installation ever had keys. */
    interface Installation {
        /** @return whether a wrapped key, a cut-off or a key escrow exists */
        boolean hasKeys();

        /** @param reason why the vault is sealed, for the health report */
        void sealedBecause(String reason);
    }

    private final BundleContext context;
    private final Installation installation;
    private final Path keystore;
    private final Path passphraseFile;
    private KeystoreKeyProvider provider;
    private ServiceRegistration<KeyProvider> registration;

    /**
     * @param context bundle context
     * @param keys    the key holder (whether keys exist, why sealed)
     * @param cutOffs whether a key escrow exists
     * @param config  configuration
     */
    @Activate
    public KeystoreProviderComponent(BundleContext context, @Reference VaultKeys keys, @Reference CutOffs cutOffs, Config config) {
        this(context, new Installation() {
            @Override
            public boolean hasKeys() {
                return keys.hasStoredKeys() || cutOffs.escrowExists();
            }

            @Override
            public void sealedBecause(String reason) {
                keys.sealedBecause(reason);
            }
        }, Paths.get(Placeholders.expand(config.keystore())), Paths.get(Placeholders.expand(config.passphrase_file())),
                config.generate(), System.getenv(ENV));
    }

    KeystoreProviderComponent(BundleContext context, Installation installation, Path keystore, Path passphraseFile,
            boolean generate, String environmentPassphrase) {
        this.context = context;
        this.installation = installation;
        this.keystore = keystore.toAbsolutePath();
        this.passphraseFile = passphraseFile.toAbsolutePath();
        warnIfTogether();
        start(generate, environmentPassphrase);
    }

    private void start(boolean generate, String env) {
        char[] passphrase = null;
        try {
            boolean fromEnv = env != null && !env.isEmpty();
            if (!Files.exists(keystore)) {
                if (installation.hasKeys()) {
                    seal("master keystore missing while wrapped keys exist: restore " + keystore + "; it is never replaced");
                    return;
                }
                if (fromEnv) {
                    seal("no master keystore yet; create it with mamori:vault-unseal --init (nothing is generated when the "
                            + "passphrase comes from the environment)");
                    return;
                }
                if (!generate) {
                    seal("master keystore " + keystore + " does not exist");
                    return;
                }
                passphrase = Files.exists(passphraseFile) ? readPassphraseFile() : generatePassphraseFile();
                if (passphrase == null) {
                    return;
                }
                open(passphrase, true);
                return;
            }
            passphrase = fromEnv ? env.toCharArray() : Files.exists(passphraseFile) ? readPassphraseFile() : null;
            if (passphrase == null) {
                if (!fromEnv && !Files.exists(passphraseFile)) {
                    seal("no passphrase (set " + ENV + " or provide the passphrase file), or unseal with mamori:vault-unseal");
                }
                return;
            }
            open(passphrase, false);
        } catch (IOException | VaultException e) {
            seal("the keystore cannot be opened: " + e.getMessage());
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private void seal(String reason) {
        LOG.error("Vault SEALED: {}", reason);
        installation.sealedBecause(reason.replace(keystore.toString(), "the keystore"));
    }

    /** @return the passphrase, or null (and sealed) if the file is readable by others */
    private char[] readPassphraseFile() throws IOException {
        if (SecureFiles.posix(passphraseFile)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(passphraseFile);
            if (!SecureFiles.OWNER_ONLY.containsAll(perms)) {
                seal("the passphrase file " + passphraseFile + " is readable by others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); it is not used. Make it "
                        + "owner-only (chmod 600) and consider the passphrase disclosed");
                return null;
            }
        }
        return new String(Files.readAllBytes(passphraseFile), StandardCharsets.UTF_8).strip().toCharArray();
    }

    private char[] generatePassphraseFile() throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        char[] passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Arrays.fill(random, (byte) 0);
        SecureFiles.create(passphraseFile, new String(passphrase).getBytes(StandardCharsets.UTF_8));
        LOG.warn("GENERATED a master-key passphrase in {} for the keystore {}. This is for evaluation only: production "
                + "supplies its own passphrase (MAMORI_MASTER_PASSPHRASE) and keeps it, and the keystore, away from the "
                + "database files and their backups.", passphraseFile, keystore);
        return passphrase;
    }

    /** The keystore and its passphrase belong neither together nor with the database files that backups copy. */
    private void warnIfTogether() {
        Path data = Paths.get(Placeholders.expand("${karaf.data}")).toAbsolutePath();
        if (keystore.getParent() != null && keystore.getParent().equals(passphraseFile.getParent())) {
            LOG.warn("The master keystore {} and its passphrase file sit in one folder: whoever copies one copies both.", keystore);
        }
        if (!data.toString().isEmpty() && !data.equals(data.getRoot())
                && (keystore.startsWith(data) || passphraseFile.startsWith(data))) {
            LOG.warn("The master keystore or its passphrase file lies under {}, with the database files: a backup of that "
                    + "folder holds the keys that crypto-shredding must be able to destroy. Move them elsewhere.", data);
        }
    }

    @Override
    public synchronized boolean unseal(char[] passphrase) {
        try {
            if (registration != null) {
                return true;
            }
            open(passphrase, false);
            return true;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Override
    public synchronized boolean initialize(char[] passphrase) {
        try {
            if (registration != null || Files.exists(keystore)) {
                throw new VaultException(VaultErrors.KEYSTORE_MISSING, "A master keystore exists already; use mamori:vault-unseal.");
            }
            if (installation.hasKeys()) {
                throw new VaultException(VaultErrors.KEYSTORE_MISSING, "This installation has stored keys: its keystore is "
                        + "missing and must be restored, never replaced. Nothing created.");
            }
            open(passphrase, true);
            return true;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private synchronized void open(char[] passphrase, boolean create) {
        KeystoreKeyProvider opened = new KeystoreKeyProvider(keystore, passphrase, create);
        provider = opened;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(KeyProvider.PROVIDER_ID, opened.id());
        registration = context.registerService(KeyProvider.class, opened, props);
        installation.sealedBecause(null);
        LOG.info("Vault unsealed with key provider {}", opened.id());
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (provider != null) {
            provider.close();
            provider = null;
        }
    }

    /** For tests: the provider opened, if any. */
    synchronized KeystoreKeyProvider provider() {
        return provider;
    }
}
