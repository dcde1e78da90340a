package dev.mamori.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import dev.mamori.platform.config.Placeholders;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No default credentials (OPS-6): the distribution ships without users; at first start this
 * creates the operator account with a random password, stored only as a bcrypt hash in the
 * Karaf realm and handed over once in an owner-only file, in the operator group (defined here, so
 * that a Karaf of someone else's gets it too). A realm that keeps passwords in clear text (stock
 * Karaf) is switched to bcrypt: its clear-text entries still match and are hashed at their next
 * login (Karaf's properties login module does that), and the operator's hash can be checked at all.
 */
@Component(immediate = true, configurationPid = OperatorBootstrap.PID)
@Designate(ocd = OperatorBootstrap.Config.class)
public class OperatorBootstrap {
    static final String PID = "dev.mamori.operator";
    static final String JAAS_PID = "org.apache.karaf.jaas";
    /** How the realm must store passwords for the operator's hash to be checked: bcrypt, hex-encoded. */
    static final Map<String, String> BCRYPT_REALM;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("encryption.enabled", "true");
        m.put("encryption.name", "spring-security-crypto");
        m.put("encryption.prefix", "{CRYPT}");
        m.put("encryption.suffix", "{CRYPT}");
        m.put("encryption.algorithm", "bcrypt");
        m.put("encryption.encoding", "hexadecimal");
        BCRYPT_REALM = java.util.Collections.unmodifiableMap(m);
    }

    private static final Logger LOG = LoggerFactory.getLogger(OperatorBootstrap.class);

    /** Operator bootstrap configuration (PID dev.mamori.operator). */
    @ObjectClassDefinition(name = "Mamori operator bootstrap", description = "First-start operator account.")
    public @interface Config {
        /** @return user name */
        @AttributeDefinition(description = "Name of the operator account created at first start.")
        String username() default "admin";

        /** @return group */
        @AttributeDefinition(description = "Karaf group that carries the operator roles.")
        String group() default "operators";

        /** @return the group's roles */
        @AttributeDefinition(description = "Roles of the operator group, written with the group when the operator account "
                + "is created and the realm does not define the group yet: operator runs the mamori:* commands "
                + "(org.apache.karaf.command.acl.mamori), ssh may log in to the shell. No Karaf role (viewer, manager, "
                + "admin): those run Karaf's own commands, which are the sysadmins' (SEC-2, OPS-6).")
        String[] group_roles() default {"ssh", "operator"};

        /** @return users file */
        @AttributeDefinition(description = "Karaf properties realm file.")
        String users_file() default "${karaf.etc}/users.properties";

        /** @return password file */
        @AttributeDefinition(description = "Where the initial password is handed over (mode 0600).")
        String password_file() default "${karaf.data}/mamori/initial-operator-password";

        /** @return keys file */
        @AttributeDefinition(description = "Karaf public-key realm file.")
        String keys_file() default "${karaf.etc}/keys.properties";

        /** @return key file */
        @AttributeDefinition(description = "The operator's SSH private key for bin/mamori (mode 0600), created with the account: "
                + "scripts log in with it, so no password ever appears on a command line.")
        String ssh_key_file() default "${karaf.data}/mamori/operator-ssh-key";
    }

    /**
     * @param config      configuration
     * @param configAdmin where Karaf's realm configuration lives
     */
    @Activate
    public OperatorBootstrap(Config config, @Reference ConfigurationAdmin configAdmin) throws IOException {
        bcryptRealm(configAdmin);
        Path users = Paths.get(Placeholders.expand(config.users_file()));
        Path handover = Paths.get(Placeholders.expand(config.password_file()));
        if (ensure(users, handover, config.username(), config.group(), HealthServiceImpl.names(config.group_roles()))
                .isPresent()) {
            LOG.warn("Created operator account '{}'. Its initial password is in {} (owner-only); "
                    + "change it with jaas:user-add and delete that file.", config.username(), handover);
        }
        Path keys = Paths.get(Placeholders.expand(config.keys_file()));
        Path sshKey = Paths.get(Placeholders.expand(config.ssh_key_file()));
        if (ensureSshKey(keys, sshKey, config.username(), config.group(), users)) {
            LOG.warn("Created an SSH key for operator '{}' in {} (owner-only), for bin/mamori; remove its line from {} to "
                    + "revoke it.", config.username(), sshKey, keys);
        }
    }

    /**
     * Gives the operator an SSH key (EC P-256) for scripts, unless the account has one: the private
     * key owner-only, the public key in Karaf's key realm. It is created with the installation, not
     * shipped: no installation trusts another's key.
     *
     * @return whether a key was created
     */
    static boolean ensureSshKey(Path keys, Path privateKeyFile, String username, String group, Path users) throws IOException {
        List<String> lines = Files.exists(keys) ? Files.readAllLines(keys, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        String prefix = escape(username);
        boolean hasKey = lines.stream().map(String::strip).anyMatch(t -> !t.startsWith("#")
                && (t.startsWith(prefix + " ") || t.startsWith(prefix + "=") || t.startsWith(prefix + "\t")));
        if (hasKey && Files.exists(privateKeyFile)) {
            return false;
        }
        if (hasKey) {
            // the realm trusts a key this installation no longer has: leave the realm to its owner
            return false;
        }
        java.security.KeyPair pair;
        try {
            java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
            kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            pair = kpg.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot create the operator's SSH key", e);
        }
        Secrets.writeOwnerOnly(privateKeyFile, SshKeys.privateKeyPem(pair).getBytes(StandardCharsets.US_ASCII));
        List<String> out = new ArrayList<>(lines);
        // the key realm resolves the group's roles (ssh among them) in its own file: the same definition as the password realm's
        String groupKey = escape("_g_:" + group);
        if (out.stream().map(String::strip).noneMatch(t -> t.startsWith(groupKey + " ") || t.startsWith(groupKey + "="))
                && Files.exists(users)) {
            Files.readAllLines(users, StandardCharsets.ISO_8859_1).stream().map(String::strip)
                    .filter(t -> t.startsWith(groupKey + " ") || t.startsWith(groupKey + "=")).findFirst().ifPresent(out::add);
        }
        out.add(prefix + " = " + SshKeys.publicKeyBase64(pair.getPublic()) + ",_g_:" + group);
        Secrets.writeOwnerOnly(keys, String.join("\n", out).concat("\n").getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }

    /** Switches a clear-text realm to bcrypt; a realm hashing otherwise is left alone, with an error. */
    static void bcryptRealm(ConfigurationAdmin configAdmin) throws IOException {
        Configuration jaas = configAdmin.getConfiguration(JAAS_PID, null);
        Dictionary<String, Object> current = jaas.getProperties() != null ? jaas.getProperties() : new Hashtable<>();
        Map<String, String> wanted = realmChanges(current);
        if (!wanted.isEmpty()) {
            Dictionary<String, Object> updated = new Hashtable<>();
            for (String key : java.util.Collections.list(current.keys())) {
                updated.put(key, current.get(key));
            }
            wanted.forEach(updated::put);
            jaas.update(updated);
            LOG.warn("Karaf's realm stored passwords in clear text: switched it to bcrypt ({}). Existing clear-text "
                    + "passwords still work and are hashed at their next login.", JAAS_PID);
        } else if (!bcrypt(current)) {
            LOG.error("Karaf's realm hashes passwords with {}/{}, not bcrypt: the operator's password cannot be checked "
                    + "(its SSH key for bin/mamori still works). Set the encryption.* properties of {} to {}.",
                    current.get("encryption.name"), current.get("encryption.algorithm"), JAAS_PID, BCRYPT_REALM);
        }
    }

    /**
     * @param current the realm configuration
     * @return the bcrypt settings when the realm keeps clear text; nothing when it hashes already
     *         (another algorithm's hashes cannot be converted, so they are left alone)
     */
    static Map<String, String> realmChanges(Dictionary<String, Object> current) {
        Object enabled = current.get("encryption.enabled");
        return enabled != null && Boolean.parseBoolean(enabled.toString().trim()) ? Map.of() : BCRYPT_REALM;
    }

    private static boolean bcrypt(Dictionary<String, Object> current) {
        for (Map.Entry<String, String> e : BCRYPT_REALM.entrySet()) {
            Object have = current.get(e.getKey());
            if (have == null || !e.getValue().equalsIgnoreCase(have.toString().trim())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the operator to the realm file unless the account exists, with the group's definition
     * unless the realm has one.
     *
     * @return the password when an account was created
     */
    static Optional<char[]> ensure(Path users, Path handover, String username, String group,
            java.util.Collection<String> roles) throws IOException {
        List<String> lines = Files.exists(users) ? Files.readAllLines(users, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        String prefix = escape(username);
        for (String line : lines) {
            String t = line.strip();
            if (!t.startsWith("#") && (t.startsWith(prefix + " ") || t.startsWith(prefix + "=") || t.startsWith(prefix + "\t"))) {
                return Optional.empty();
            }
        }
        char[] password = Secrets.password(24);
        // the handover file first: an account nobody can learn the password of would lock operators out
        Secrets.writeOwnerOnly(handover, Secrets.utf8(password));
        String hash = OpenBSDBCrypt.generate("2a", password, Secrets.bytes(16), 12);
        List<String> out = new ArrayList<>(lines);
        String groupKey = escape("_g_:" + group);
        if (lines.stream().map(String::strip).noneMatch(t -> t.startsWith(groupKey + " ") || t.startsWith(groupKey + "="))) {
            out.add(groupKey + " = group," + String.join(",", roles));
        }
        // the form Karaf's spring-security-crypto encryption reads: the bcrypt string, hex-encoded
        out.add(prefix + " = {CRYPT}" + hex(hash.getBytes(StandardCharsets.US_ASCII)) + "{CRYPT},_g_:" + group);
        Secrets.writeOwnerOnly(users, String.join("\n", out).concat("\n").getBytes(StandardCharsets.ISO_8859_1));
        return Optional.of(Arrays.copyOf(password, password.length));
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static String escape(String key) {
        return key.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=").replace(" ", "\\ ");
    }
}
