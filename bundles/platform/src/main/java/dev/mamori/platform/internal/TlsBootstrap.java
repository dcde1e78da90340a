package dev.mamori.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * Makes HTTPS the only way in (CRY-1): at first start it creates a self-signed certificate, then
 * turns on Pax Web's HTTPS connector restricted to TLS 1.2 and 1.3, and switches Pax Web's plain
 * HTTP connector off - at every start, in the distribution and in a Karaf of someone else's alike,
 * unless {@code plain.http} says a TLS-terminating proxy needs it (the REST API still refuses
 * every plain request that its trusted proxies did not forward from HTTPS). An operator who
 * configured a keystore of their own in {@code org.ops4j.pax.web} keeps it; only the protocol
 * restriction and the connector switches are enforced.
 * <p>
 * A TLS 1.2 client's renegotiation (TLS 1.3 has none) is refused in one of two ways, whichever the
 * JVM allows. Jetty, told {@code renegotiationAllowed = false}, closes the connection with a
 * close_notify when the ClientHello arrives, before the JDK works on it - which scanners that look
 * at how the connection ended (testssl.sh 3.0) now and then take for a completed renegotiation.
 * A JVM started with {@value #JDK_REJECT_RENEGOTIATION}{@code =true} (the distribution's bin/setenv)
 * answers that ClientHello with a fatal handshake_failure alert, an unmistakable refusal, also before
 * any key exchange. For the JDK to see it, Jetty must let one renegotiation per connection begin
 * (limit 1); the JDK ends it at its first message.
 */
@Component(immediate = true, configurationPid = TlsBootstrap.PID)
@Designate(ocd = TlsBootstrap.Config.class)
public class TlsBootstrap {
    static final String PID = "dev.mamori.tls";
    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String KEYSTORE = "org.ops4j.pax.web.ssl.keystore";
    static final String HTTP_ENABLED = "org.osgi.service.http.enabled";
    static final String RENEGOTIATION_ALLOWED = "org.ops4j.pax.web.ssl.renegotiationAllowed";
    static final String RENEGOTIATION_LIMIT = "org.ops4j.pax.web.ssl.renegotiationLimit";
    /** The JDK's switch: read once, at the JVM's first server handshake, so only a JVM option sets it reliably. */
    static final String JDK_REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";
    static final String PROTOCOLS = "TLSv1.2,TLSv1.3";
    /**
     * AEAD suites with forward secrecy only (CRY-1): the TLS 1.3 suites, and ECDHE with AES-GCM or
     * ChaCha20-Poly1305 for TLS 1.2. Jetty reads these as patterns; the exclusions repeat Jetty's own
     * defaults (which Pax Web drops as soon as any exclusion is set) and add every CBC and 3DES suite.
     */
    static final String CIPHERS = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,"
            + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,"
            + "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    static final String CIPHERS_EXCLUDED = "^.*_(MD5|SHA|SHA1)$,^TLS_RSA_.*$,^SSL_.*$,^.*_NULL_.*$,^.*_anon_.*$,^.*_CBC_.*$,"
            + "^.*_3DES_.*$,^.*_RC4_.*$";
    private static final Logger LOG = LoggerFactory.getLogger(TlsBootstrap.class);

    /** TLS bootstrap configuration (PID dev.mamori.tls). */
    @ObjectClassDefinition(name = "Mamori TLS", description = "First-start self-signed certificate for HTTPS.")
    public @interface Config {
        /** @return keystore path */
        @AttributeDefinition(description = "Where the self-signed PKCS#12 keystore is created when no keystore is configured.")
        String keystore() default "${karaf.etc}/mamori-tls.p12";

        /** @return names */
        @AttributeDefinition(description = "Host names and IP addresses put into the self-signed certificate.")
        String[] hostnames() default {"localhost", "127.0.0.1"};

        /** @return validity */
        @AttributeDefinition(description = "Lifetime of the self-signed certificate in days.", min = "1", max = "825")
        int validity_days() default 397;

        /** @return whether plain HTTP is left to the container owner */
        @AttributeDefinition(description = "false: Pax Web's plain HTTP connector (org.osgi.service.http.enabled) is "
                + "switched off at every start. true: it is left as org.ops4j.pax.web says, for a TLS-terminating proxy "
                + "in front of the server; the API then still answers plain requests only from the proxies listed in "
                + "dev.mamori.rest tls.proxies that forward them from HTTPS.")
        boolean plain_http() default false;
    }

    /**
     * @param configAdmin where Pax Web's configuration lives
     * @param config      configuration
     */
    @Activate
    public TlsBootstrap(@Reference ConfigurationAdmin configAdmin, Config config) throws IOException {
        // the keystore password lands in this file: readable by the owner only (before and after the update)
        Path cfg = Paths.get(Placeholders.expand("${karaf.etc}"), PAX_WEB_PID + ".cfg");
        ownerOnly(cfg);
        Configuration web = configAdmin.getConfiguration(PAX_WEB_PID, null);
        Dictionary<String, Object> current = web.getProperties() != null ? web.getProperties() : new Hashtable<>();
        Map<String, Object> wanted = wantedProperties(current, config);
        if (!wanted.isEmpty()) {
            Dictionary<String, Object> updated = new Hashtable<>();
            for (String key : java.util.Collections.list(current.keys())) {
                updated.put(key, current.get(key));
            }
            wanted.forEach(updated::put);
            web.update(updated);
            LOG.info("HTTPS enabled on port {} ({}, AEAD cipher suites only)", updated.get("org.osgi.service.http.port.secure"),
                    PROTOCOLS);
            if ("false".equals(wanted.get(RENEGOTIATION_ALLOWED))) {
                LOG.info("TLS renegotiation asked for by a client: Jetty closes the connection. Start the JVM with -D{}=true "
                        + "for an explicit refusal (a fatal handshake_failure alert).", JDK_REJECT_RENEGOTIATION);
            }
            if (wanted.containsKey(HTTP_ENABLED)) {
                LOG.warn("Switched Pax Web's plain HTTP connector off (CRY-1): every web application of this container is "
                        + "now served over HTTPS only. Behind a TLS-terminating proxy set plain.http = true in {}.cfg.", PID);
            }
        }
        ownerOnly(cfg);
    }

    /** A file holding a secret (the TLS keystore password): rw------- if the file system has POSIX permissions. */
    static void ownerOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
            if (!owner.containsAll(Files.getPosixFilePermissions(file))) {
                Files.setPosixFilePermissions(file, owner);
                LOG.info("{} holds the TLS keystore password: made readable by its owner only", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.warn("Could not restrict {} to its owner: {}", file, e.toString());
        }
    }

    /** @return whether this JVM's TLS servers refuse a client's renegotiation, read as the JDK reads its switch */
    static boolean jvmRefusesClientRenegotiation() {
        return "true".equalsIgnoreCase(System.getProperty(JDK_REJECT_RENEGOTIATION));
    }

    /** @return the Pax Web properties that must change for this JVM; empty when all is in place */
    static Map<String, Object> wantedProperties(Dictionary<String, Object> current, Config config) throws IOException {
        return wantedProperties(current, config, jvmRefusesClientRenegotiation());
    }

    /**
     * @param jvmRefusesRenegotiation whether the JDK refuses a client's renegotiation itself
     * @return the Pax Web properties that must change; empty when all is in place
     */
    static Map<String, Object> wantedProperties(Dictionary<String, Object> current, Config config,
            boolean jvmRefusesRenegotiation) throws IOException {
        Map<String, Object> wanted = new TreeMap<>();
        Path ours = Paths.get(Placeholders.expand(config.keystore()));
        Object configured = current.get(KEYSTORE);
        boolean foreign = configured != null && !configured.toString().isEmpty()
                && !Paths.get(Placeholders.expand(configured.toString())).toAbsolutePath().equals(ours.toAbsolutePath());
        if (!foreign && (!Files.exists(ours) || current.get(KEYSTORE + ".password") == null)) {
            try {
                Files.deleteIfExists(ours);
                char[] password = SelfSignedKeystore.create(ours, Arrays.asList(config.hostnames()),
                        Duration.ofDays(config.validity_days()), Instant.now());
                LOG.warn("Created a SELF-SIGNED TLS certificate in {} for {}. Production must configure a real "
                        + "certificate in etc/org.ops4j.pax.web.cfg.", ours, Arrays.toString(config.hostnames()));
                wanted.put(KEYSTORE, ours.toString());
                wanted.put(KEYSTORE + ".password", new String(password));
                wanted.put("org.ops4j.pax.web.ssl.key.password", new String(password));
                wanted.put("org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
                wanted.put("org.ops4j.pax.web.ssl.key.alias", SelfSignedKeystore.ALIAS);
                Arrays.fill(password, '\0');
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot create the self-signed TLS keystore", e);
            }
        }
        putIfDifferent(current, wanted, "org.osgi.service.http.secure.enabled", "true");
        if (!config.plain_http()) {
            putIfDifferent(current, wanted, HTTP_ENABLED, "false");
        }
        putIfDifferent(current, wanted, "org.ops4j.pax.web.ssl.protocols.included", PROTOCOLS);
        putIfDifferent(current, wanted, "org.ops4j.pax.web.ssl.protocols.excluded", "SSLv3,TLSv1,TLSv1.1");
        // the JDK's refusal is explicit but needs the ClientHello: Jetty lets one through per connection, and
        // refuses itself (allowed false, limit 0) wherever the JDK would go along with the renegotiation
        putIfDifferent(current, wanted, RENEGOTIATION_ALLOWED, jvmRefusesRenegotiation ? "true" : "false");
        putIfDifferent(current, wanted, RENEGOTIATION_LIMIT, jvmRefusesRenegotiation ? "1" : "0");
        putIfDifferent(current, wanted, "org.ops4j.pax.web.ssl.ciphersuites.included", CIPHERS);
        putIfDifferent(current, wanted, "org.ops4j.pax.web.ssl.ciphersuites.excluded", CIPHERS_EXCLUDED);
        return wanted;
    }

    private static void putIfDifferent(Dictionary<String, Object> current, Map<String, Object> wanted, String key,
            String value) {
        Object have = current.get(key);
        if (have == null || !Objects.equals(have.toString(), value)) {
            wanted.put(key, value);
        }
    }
}
