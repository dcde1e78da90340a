package dev.mamori.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.config.Placeholders;
import dev.mamori.vault.VaultException;
import dev.mamori.vault.VaultUnsealer;
import dev.mamori.vault.internal.crypto.KeystoreKeyProvider;
import dev.mamori.vault.internal.crypto.SecureFiles;
import dev.mamori.vault.spi.KeyProvider;

/**
 * The default {@link KeyProvider}: master keys in a BCFKS keystore file. The passphrase comes
 * from {@code MAMORI_MASTER_PASSPHRASE} or a file; for the zero-setup default, the first start
 * generates both keystore and passphrase file (0600) and says loudly that production must not
 * keep them side by side. If the keystore cannot be opened nothing is registered: the vault
 * stays sealed.
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
        @AttributeDefinition(description = "BCFKS keystore holding the master key versions.")
        String keystore() default "${karaf.data}/mamori/vault/master.bcfks";

        /** @return passphrase file */
        @AttributeDefinition(description = "File with the keystore passphrase, when MAMORI_MASTER_PASSPHRASE is not set.")
        String passphrase_file() default "${karaf.data}/mamori/vault/master-passphrase";

        /** @return generate */
        @AttributeDefinition(description = "Create keystore and passphrase file at first start (zero-setup default).")
        boolean generate() default true;
    }

    private KeystoreKeyProvider provider;
    private ServiceRegistration<KeyProvider> registration;
    private BundleContext context;
    private Path keystore;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        keystore = Paths.get(Placeholders.expand(config.keystore()));
        Path passphraseFile = Paths.get(Placeholders.expand(config.passphrase_file()));
        char[] passphrase = null;
        try {
            String env = System.getenv(ENV);
            boolean fresh = !Files.exists(keystore);
            if (env != null && !env.isEmpty()) {
                passphrase = env.toCharArray();
            } else if (Files.exists(passphraseFile)) {
                passphrase = new String(Files.readAllBytes(passphraseFile), StandardCharsets.UTF_8).strip().toCharArray();
            } else if (fresh && config.generate()) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
                Arrays.fill(random, (byte) 0);
                SecureFiles.create(passphraseFile, new String(passphrase).getBytes(StandardCharsets.UTF_8));
                LOG.warn("GENERATED a master-key passphrase in {} next to the keystore {}. This is for evaluation only: "
                        + "production must supply its own passphrase (MAMORI_MASTER_PASSPHRASE) and keep it away from "
                        + "the keystore and its backups.", passphraseFile, keystore);
            } else {
                LOG.error("Vault SEALED: no passphrase for {} (set {} or provide {}).", keystore, ENV, passphraseFile);
                return;
            }
            open(passphrase, fresh && config.generate());
        } catch (IOException | VaultException e) {
            LOG.error("Vault SEALED: the keystore {} cannot be opened: {}", keystore, e.getMessage());
            if (provider != null) {
                provider.close();
                provider = null;
            }
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
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

    private synchronized void open(char[] passphrase, boolean create) {
        KeystoreKeyProvider opened = new KeystoreKeyProvider(keystore, passphrase, create);
        provider = opened;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(KeyProvider.PROVIDER_ID, opened.id());
        registration = context.registerService(KeyProvider.class, opened, props);
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
}
