package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One keystore is generated for the class; each test inspects a different property of it. */
class SelfSignedKeystoreTest {
    private static final Instant NOW = Instant.parse("2024-04-01T03:00:00Z");
    private static final Duration VALIDITY = Duration.ofDays(397);

    @TempDir
    static Path dir;
    static Path file;
    static char[] password;

    @BeforeAll
    static void create() throws Exception {
        file = dir.resolve("tls.p12");
        password = SelfSignedKeystore.create(file, List.of("localhost", "127.0.0.1"), VALIDITY, NOW);
    }

    static KeyStore load(Path f, char[] pw) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(f)) {
            ks.load(in, pw);
        }
        return ks;
    }

    static X509Certificate cert() throws Exception {
        return (X509Certificate) load(file, password).getCertificate(SelfSignedKeystore.ALIAS);
    }

    @Test
    @DisplayName("CRY-1: the PKCS#12 keystore opens with the returned password, and not with another")
    void loadable() throws Exception {
        KeyStore ks = load(file, password);
        assertTrue(ks.isKeyEntry(SelfSignedKeystore.ALIAS));
        assertEquals(32, password.length);
        assertThrows(IOException.class, () -> load(file, "wrong".toCharArray()));
    }

    @Test
    @DisplayName("CRY-1: the key is ECDSA P-256 and belongs to the certificate")
    void ecKey() throws Exception {
        KeyStore ks = load(file, password);
        Key key = ks.getKey(SelfSignedKeystore.ALIAS, password);
        assertTrue(key instanceof ECPrivateKey, key.getClass().getName());
        assertEquals(256, ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize());
        X509Certificate cert = cert();
        assertTrue(cert.getPublicKey() instanceof ECPublicKey);
        byte[] data = "proof".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign((ECPrivateKey) key);
        sign.update(data);
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(cert.getPublicKey());
        verify.update(data);
        assertTrue(verify.verify(sig));
    }

    @Test
    @DisplayName("CRY-1: the certificate is self-signed, SHA256withECDSA, a non-CA server certificate for localhost")
    void certificate() throws Exception {
        X509Certificate cert = cert();
        cert.verify(cert.getPublicKey());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertTrue(cert.getSubjectX500Principal().getName().contains("CN=localhost"), cert.getSubjectX500Principal().getName());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage(), "serverAuth only");
    }

    @Test
    @DisplayName("CRY-1: subjectAltName holds localhost as a DNS name and 127.0.0.1 as an IP address")
    void subjectAltNames() throws Exception {
        Set<String> sans = cert().getSubjectAlternativeNames().stream()
                .map(l -> l.get(0) + ":" + l.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("2:localhost", "7:127.0.0.1"), sans);
    }

    @Test
    @DisplayName("CRY-1: validity runs from five minutes before the given time to the given lifetime after it")
    void validity() throws Exception {
        X509Certificate cert = cert();
        assertEquals(NOW.minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant());
        assertEquals(NOW.plus(VALIDITY), cert.getNotAfter().toInstant());
    }

    @Test
    @DisplayName("IAM-14: the keystore file is owner-only (0600) and no temporary file is left behind")
    void ownerOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("tls.p12"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    @DisplayName("CRY-1: every keystore gets its own random password")
    void distinctPasswords(@TempDir Path other) throws Exception {
        char[] second = SelfSignedKeystore.create(other.resolve("x.p12"), List.of("example.test"), Duration.ofDays(1), NOW);
        assertFalse(java.util.Arrays.equals(password, second));
        X509Certificate c = (X509Certificate) load(other.resolve("x.p12"), second).getCertificate(SelfSignedKeystore.ALIAS);
        assertArrayEquals(new Object[] {2, "example.test"}, c.getSubjectAlternativeNames().iterator().next().toArray());
    }
}
