package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsBootstrapTest {
    private static final String ETC_PROPERTY = "mamori.test.tls.etc";
    private static final String KS = TlsBootstrap.KEYSTORE;
    private static final String KS_PASSWORD = KS + ".password";

    @TempDir
    Path etc;

    @AfterEach
    void clearProperty() {
        System.clearProperty(ETC_PROPERTY);
    }

    static TlsBootstrap.Config config(String keystore) {
        return config(keystore, false);
    }

    static TlsBootstrap.Config config(String keystore, boolean plainHttp) {
        return new TlsBootstrap.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TlsBootstrap.Config.class;
            }

            @Override
            public String keystore() {
                return keystore;
            }

            @Override
            public String[] hostnames() {
                return new String[] {"localhost", "127.0.0.1"};
            }

            @Override
            public int validity_days() {
                return 397;
            }

            @Override
            public boolean plain_http() {
                return plainHttp;
            }
        };
    }

    private Path ours() {
        return etc.resolve("mamori-tls.p12");
    }

    private TlsBootstrap.Config ourConfig() {
        return config(ours().toString());
    }

    private static Dictionary<String, Object> dict(Map<String, Object> m) {
        return new Hashtable<>(m);
    }

    @Test
    @DisplayName("CRY-1: on a blank Pax Web config a keystore is generated and HTTPS with TLSv1.2,TLSv1.3 only is asked for")
    void emptyConfig() throws Exception {
        Map<String, Object> wanted = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig(), false);

        assertEquals(Set.of(KS, KS_PASSWORD, "org.ops4j.pax.web.ssl.key.password", "org.ops4j.pax.web.ssl.keystore.type",
                "org.ops4j.pax.web.ssl.key.alias", "org.osgi.service.http.secure.enabled", TlsBootstrap.HTTP_ENABLED,
                "org.ops4j.pax.web.ssl.protocols.included", "org.ops4j.pax.web.ssl.protocols.excluded",
                "org.ops4j.pax.web.ssl.renegotiationAllowed", "org.ops4j.pax.web.ssl.renegotiationLimit",
                "org.ops4j.pax.web.ssl.ciphersuites.included",
                "org.ops4j.pax.web.ssl.ciphersuites.excluded"), wanted.keySet());
        String ciphers = (String) wanted.get("org.ops4j.pax.web.ssl.ciphersuites.included");
        for (String suite : ciphers.split(",")) {
            assertTrue(suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"), "AEAD only: " + suite);
            assertTrue(suite.startsWith("TLS_ECDHE_") || !suite.contains("_WITH_"), "forward secrecy: " + suite);
        }
        String excludedSuites = (String) wanted.get("org.ops4j.pax.web.ssl.ciphersuites.excluded");
        assertTrue(excludedSuites.contains("_CBC_") && excludedSuites.contains("^TLS_RSA_"), excludedSuites);
        assertEquals("true", wanted.get("org.osgi.service.http.secure.enabled"));
        assertEquals("false", wanted.get(TlsBootstrap.HTTP_ENABLED));
        assertEquals("TLSv1.2,TLSv1.3", wanted.get("org.ops4j.pax.web.ssl.protocols.included"));
        Set<String> excluded = Set.of(((String) wanted.get("org.ops4j.pax.web.ssl.protocols.excluded")).split(","));
        assertTrue(excluded.containsAll(Set.of("SSLv3", "TLSv1", "TLSv1.1")), excluded.toString());
        assertEquals("false", wanted.get("org.ops4j.pax.web.ssl.renegotiationAllowed"));
        assertEquals("0", wanted.get("org.ops4j.pax.web.ssl.renegotiationLimit"));
        assertEquals("PKCS12", wanted.get("org.ops4j.pax.web.ssl.keystore.type"));
        assertEquals(ours().toString(), wanted.get(KS));

        String password = (String) wanted.get(KS_PASSWORD);
        assertEquals(password, wanted.get("org.ops4j.pax.web.ssl.key.password"));
        KeyStore ks = SelfSignedKeystoreTest.load(ours(), password.toCharArray());
        String alias = (String) wanted.get("org.ops4j.pax.web.ssl.key.alias");
        assertTrue(ks.isKeyEntry(alias));
        Set<String> sans = ((X509Certificate) ks.getCertificate(alias)).getSubjectAlternativeNames().stream()
                .map(l -> String.valueOf(l.get(1))).collect(Collectors.toSet());
        assertEquals(Set.of("localhost", "127.0.0.1"), sans);
    }

    @Test
    @DisplayName("CRY-1: plain HTTP that a container (stock Pax Web: enabled = true) switched on is switched off again, "
            + "unless plain.http leaves it to a TLS-terminating proxy")
    void plainHttpOff() throws Exception {
        Map<String, Object> first = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig());
        Dictionary<String, Object> stock = dict(first);
        stock.put(TlsBootstrap.HTTP_ENABLED, "true");
        assertEquals(Map.of(TlsBootstrap.HTTP_ENABLED, "false"), TlsBootstrap.wantedProperties(stock, ourConfig()));
        assertEquals(Map.of(), TlsBootstrap.wantedProperties(stock, config(ours().toString(), true)));
        stock.put(TlsBootstrap.HTTP_ENABLED, "false");
        assertEquals(Map.of(), TlsBootstrap.wantedProperties(stock, ourConfig()));
    }

    @Test
    @DisplayName("CRY-1: once everything is in place nothing more is asked for and the keystore is not regenerated")
    void completeConfig() throws Exception {
        Map<String, Object> first = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig());
        byte[] keystore = Files.readAllBytes(ours());
        assertEquals(Map.of(), TlsBootstrap.wantedProperties(dict(first), ourConfig()));
        assertArrayEquals(keystore, Files.readAllBytes(ours()));
    }

    @Test
    @DisplayName("CRY-1: an operator's own keystore is left alone; only HTTPS and the TLS versions are enforced")
    void foreignKeystore() throws Exception {
        Path theirs = etc.resolve("company.p12");
        Files.write(theirs, new byte[] {1, 2, 3});
        Map<String, Object> wanted = TlsBootstrap.wantedProperties(dict(Map.of(KS, theirs.toString(), KS_PASSWORD, "theirs")),
                ourConfig());
        assertFalse(wanted.containsKey(KS));
        assertFalse(wanted.containsKey(KS_PASSWORD));
        assertFalse(wanted.containsKey("org.ops4j.pax.web.ssl.key.alias"));
        assertFalse(Files.exists(ours()), "no self-signed keystore when the operator configured one");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(theirs));
        assertEquals("true", wanted.get("org.osgi.service.http.secure.enabled"));
        assertEquals("TLSv1.2,TLSv1.3", wanted.get("org.ops4j.pax.web.ssl.protocols.included"));
    }

    @Test
    @DisplayName("CRY-1: a client's TLS renegotiation is refused by the JDK where the JVM has its switch (Jetty passes it one "
            + "ClientHello per connection), by Jetty everywhere else (allowed false, limit 0); either is restored at every start")
    void clientRenegotiationRefused() throws Exception {
        Map<String, Object> withoutSwitch = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig(), false);
        assertEquals("false", withoutSwitch.get(TlsBootstrap.RENEGOTIATION_ALLOWED));
        assertEquals("0", withoutSwitch.get(TlsBootstrap.RENEGOTIATION_LIMIT));

        // the distribution: bin/setenv starts the JVM with the switch
        Map<String, Object> jdkRefuses = Map.of(TlsBootstrap.RENEGOTIATION_ALLOWED, "true", TlsBootstrap.RENEGOTIATION_LIMIT, "1");
        assertEquals(jdkRefuses, TlsBootstrap.wantedProperties(dict(withoutSwitch), ourConfig(), true));
        Hashtable<String, Object> withSwitch = new Hashtable<>(withoutSwitch);
        withSwitch.putAll(jdkRefuses);
        assertEquals(Map.of(), TlsBootstrap.wantedProperties(withSwitch, ourConfig(), true));

        // the switch taken out of the JVM options: Jetty refuses again, at the next start
        assertEquals(Map.of(TlsBootstrap.RENEGOTIATION_ALLOWED, "false", TlsBootstrap.RENEGOTIATION_LIMIT, "0"),
                TlsBootstrap.wantedProperties(withSwitch, ourConfig(), false));
        // an unlimited renegotiation (Jetty's default -1) is capped even with the switch
        withSwitch.put(TlsBootstrap.RENEGOTIATION_LIMIT, "-1");
        assertEquals(Map.of(TlsBootstrap.RENEGOTIATION_LIMIT, "1"), TlsBootstrap.wantedProperties(withSwitch, ourConfig(), true));
    }

    @Test
    @DisplayName("CRY-1: the JDK's switch counts as set as the JDK reads it: 'true' in any case; absent, 'false' or anything else is not")
    void jdkSwitchRead() {
        String before = System.getProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION);
        try {
            System.clearProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION);
            assertFalse(TlsBootstrap.jvmRefusesClientRenegotiation());
            for (String no : new String[] {"false", "", "yes", "1"}) {
                System.setProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION, no);
                assertFalse(TlsBootstrap.jvmRefusesClientRenegotiation(), no);
            }
            for (String yes : new String[] {"true", "TRUE", "True"}) {
                System.setProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION, yes);
                assertTrue(TlsBootstrap.jvmRefusesClientRenegotiation(), yes);
            }
        } finally {
            if (before == null) {
                System.clearProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION);
            } else {
                System.setProperty(TlsBootstrap.JDK_REJECT_RENEGOTIATION, before);
            }
        }
    }

    @Test
    @DisplayName("CRY-1: the Pax Web configuration file, which holds the TLS keystore password, is made owner-only")
    void configFileOwnerOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path cfg = tmp.resolve("org.ops4j.pax.web.cfg");
        java.nio.file.Files.writeString(cfg, "org.ops4j.pax.web.ssl.keystore.password = secret\n");
        java.nio.file.Files.setPosixFilePermissions(cfg, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        TlsBootstrap.ownerOnly(cfg);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(cfg)));
    }

    @Test
    @DisplayName("CRY-1: weaker protocols or disabled HTTPS in an existing config are corrected")
    void weakSettingsCorrected() throws Exception {
        Map<String, Object> first = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig());
        Hashtable<String, Object> current = new Hashtable<>(first);
        current.put("org.ops4j.pax.web.ssl.protocols.included", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3");
        current.put("org.osgi.service.http.secure.enabled", "false");
        current.put("org.ops4j.pax.web.ssl.ciphersuites.included", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
        assertEquals(Map.of("org.ops4j.pax.web.ssl.protocols.included", "TLSv1.2,TLSv1.3",
                "org.osgi.service.http.secure.enabled", "true", "org.ops4j.pax.web.ssl.ciphersuites.included", TlsBootstrap.CIPHERS),
                TlsBootstrap.wantedProperties(current, ourConfig()));
    }

    @Test
    @DisplayName("CRY-1: our keystore configured but lost (file or password missing) is generated again")
    void regenerateLost() throws Exception {
        Map<String, Object> first = TlsBootstrap.wantedProperties(new Hashtable<>(), ourConfig());
        Files.delete(ours());
        Map<String, Object> again = TlsBootstrap.wantedProperties(dict(first), ourConfig());
        assertTrue(Files.exists(ours()));
        assertNotEquals(first.get(KS_PASSWORD), again.get(KS_PASSWORD));
        SelfSignedKeystoreTest.load(ours(), ((String) again.get(KS_PASSWORD)).toCharArray());

        Hashtable<String, Object> noPassword = new Hashtable<>(first);
        noPassword.putAll(again);
        noPassword.remove(KS_PASSWORD);
        Map<String, Object> third = TlsBootstrap.wantedProperties(noPassword, ourConfig());
        SelfSignedKeystoreTest.load(ours(), ((String) third.get(KS_PASSWORD)).toCharArray());
    }

    @Test
    @DisplayName("CRY-1: ${karaf.etc}-style placeholders are expanded, so the same file written unexpanded counts as ours")
    void placeholders() throws Exception {
        System.setProperty(ETC_PROPERTY, etc.toString());
        TlsBootstrap.Config cfg = config("${" + ETC_PROPERTY + "}/mamori-tls.p12");
        Map<String, Object> first = TlsBootstrap.wantedProperties(new Hashtable<>(), cfg);
        assertTrue(Files.exists(ours()));
        Hashtable<String, Object> current = new Hashtable<>(first);
        current.put(KS, "${" + ETC_PROPERTY + "}/mamori-tls.p12");
        assertEquals(Map.of(), TlsBootstrap.wantedProperties(current, cfg));
    }

    @Test
    @DisplayName("CRY-1: expand substitutes system properties, missing ones as empty, and keeps text without placeholders")
    void expand() {
        System.setProperty(ETC_PROPERTY, "/opt/mamori/etc");
        assertEquals("/opt/mamori/etc/x.p12", dev.mamori.platform.config.Placeholders.expand("${" + ETC_PROPERTY + "}/x.p12"));
        assertEquals("a//b", dev.mamori.platform.config.Placeholders.expand("a/${mamori.test.no.such.property}/b"));
        assertEquals("/plain/path", dev.mamori.platform.config.Placeholders.expand("/plain/path"));
        assertEquals("/x/${unterminated", dev.mamori.platform.config.Placeholders.expand("/x/${unterminated"));
        assertEquals("/opt/mamori/etc:/opt/mamori/etc", dev.mamori.platform.config.Placeholders.expand("${" + ETC_PROPERTY + "}:${" + ETC_PROPERTY + "}"));
    }
}
