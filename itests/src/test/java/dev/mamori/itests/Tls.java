package dev.mamori.itests;

import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
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

    /**
     * A client-initiated renegotiation (TLS 1.2; TLS 1.3 has none): one request answered on a fresh
     * connection, then the second handshake asked for and a second request sent.
     *
     * @return "refused " and the server's fatal alert, e.g. "refused handshake_failure"; "renegotiated " or
     *         "answered without a second handshake " and the status line, when the server answered the second
     *         request; otherwise "closed " and what the client saw (a close_notify, the end of the stream)
     */
    static String renegotiation(SSLContext ctx, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            CountDownLatch handshakes = new CountDownLatch(2);
            socket.addHandshakeCompletedListener(e -> handshakes.countDown());
            socket.startHandshake();
            String first = healthOnThisConnection(socket);
            assertTrue("the connection works before the renegotiation: " + first, first.startsWith("HTTP/1.1 200 "));
            // on an established TLS 1.2 connection this sends the renegotiation's ClientHello and returns
            socket.startHandshake();
            try {
                String second = healthOnThisConnection(socket);
                // the listener is told on a thread of its own: wait for it rather than race it
                return (handshakes.await(5, TimeUnit.SECONDS) ? "renegotiated " : "answered without a second handshake ") + second;
            } catch (SSLHandshakeException e) {
                String message = String.valueOf(e.getMessage());
                return message.startsWith("Received fatal alert: ") ? "refused " + message.substring("Received fatal alert: ".length())
                        : "closed " + e;
            } catch (IOException e) {
                return "closed " + e;
            }
        }
    }

    /** GET /api/v1/health on a kept-alive connection, its response read to the end. @return the status line */
    private static String healthOnThisConnection(SSLSocket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = line(in);
        String status = head;
        long length = 0;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            skip(in, length);
            return status;
        }
        for (long chunk = Long.parseLong(line(in).split(";")[0].trim(), 16); chunk > 0;
                chunk = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
            skip(in, chunk);
            line(in);
        }
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // trailers: none expected, read past them
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the server ended the connection");
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
    }

    private static void skip(InputStream in, long n) throws IOException {
        if (in.readNBytes((int) n).length != n) {
            throw new java.io.EOFException("the server ended the connection");
        }
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
