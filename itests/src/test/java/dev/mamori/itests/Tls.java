package dev.mamori.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS handshakes against the server with exactly one protocol and chosen cipher suites, for CRY-1.
 * The JVMs on both ends allow what a stock JDK refuses (TLS 1.0/1.1, 3DES, NULL, anon, static
 * ECDH), so a refusal can only come from Mamori's own settings.
 */
final class Tls {
    /** What a stock JDK 17 disables, less everything Mamori itself must refuse. */
    static final String PERMISSIVE = "SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224";
    /**
     * Disabled in the server JVM only, although Mamori allows it: when the server refuses it, the
     * server JVM runs with {@link #PERMISSIVE}, not with the JDK's own list.
     */
    static final String MARKER_SUITE = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";

    private Tls() {
    }

    /** This JVM as a client that offers everything: to be called before its first TLS use. */
    static void permissiveClient() {
        Security.setProperty("jdk.tls.disabledAlgorithms", PERMISSIVE);
    }

    /** @return the java.security override that makes the server JVM permissive, written to {@code file} */
    static Path permissiveServerSecurity(Path file) throws IOException {
        Files.writeString(file, "# DistributionIT (CRY-1): TLS 1.0/1.1, 3DES, NULL, anon and static ECDH allowed by the JVM,\n"
                + "# so only Mamori's settings can refuse them; the ChaCha20/ECDSA suite is the marker that this file is read.\n"
                + "jdk.tls.disabledAlgorithms=" + PERMISSIVE + ", " + MARKER_SUITE + "\n");
        return file;
    }

    /**
     * @param suites the suites to offer; none: every suite this JVM supports
     * @return "protocol suite" as negotiated
     */
    static String handshake(SSLContext ctx, int port, String protocol, String... suites) throws IOException {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites.length > 0 ? suites : socket.getSupportedCipherSuites());
            socket.startHandshake();
            return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        }
    }

    /**
     * Offers one protocol and the given suites (none: every supported suite).
     *
     * @return the server's TLS alert when it refused, e.g. "handshake_failure"; or "accepted" and what was
     *         negotiated. A failure on the client's side (it did not offer what it was asked to) fails the test.
     */
    static String outcome(SSLContext ctx, int port, String protocol, String... suites) throws IOException {
        try {
            return "accepted " + handshake(ctx, port, protocol, suites);
        } catch (SSLHandshakeException e) {
            String message = String.valueOf(e.getMessage());
            assertTrue("not the server's refusal: " + message, message.startsWith("Received fatal alert: "));
            return message.substring("Received fatal alert: ".length());
        }
    }

    /** @return each suite (offered alone, over TLS 1.2) with its {@link #outcome} */
    static java.util.Map<String, String> outcomes(SSLContext ctx, int port, List<String> suites) throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String suite : suites) {
            out.put(suite, outcome(ctx, port, "TLSv1.2", suite));
        }
        return out;
    }

    /** @return a context trusting exactly the certificates of {@code keystore} */
    static SSLContext trusting(Path keystore, char[] password) throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            server.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (String alias : java.util.Collections.list(server.aliases())) {
            trust.setCertificateEntry(alias, server.getCertificate(alias));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** An operator's own certificate: RSA 2048, self-signed for localhost, made with the JDK's keytool. */
    static void rsaKeystore(Path file, String alias, char[] password) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(password), "-keypass",
                new String(password)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
