package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The distribution as an operator runs it (bin/start, bin/mamori, kill -9), started once for the
 * class: first-start hardening, TLS, ports, scripting without a terminal, and durability.
 */
public class DistributionIT {
    private static final Pattern CREATED = Pattern.compile("Created tenant (dur-\\d+) ");
    private static Distribution dist;
    private static long firstStartMillis;

    @BeforeClass
    public static void startFresh() throws Exception {
        // let this client offer TLS 1.0/1.1, so that a refusal can only come from the server
        String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
        java.security.Security.setProperty("jdk.tls.disabledAlgorithms",
                disabled.replaceAll("TLSv1(\\.1)?\\s*,\\s*", ""));
        dist = Distribution.unpack("process");
        long t0 = System.nanoTime();
        dist.start();
        dist.awaitHealthy(Duration.ofSeconds(120));
        firstStartMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("FIGURE first start to healthy: " + firstStartMillis + " ms");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void ops6_noDefaultCredentials_operatorPasswordHandedOverOwnerOnly() throws Exception {
        Path handover = dist.home.resolve("data/mamori/initial-operator-password");
        assertTrue(Files.exists(handover));
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(handover));
        String password = Files.readString(handover).trim();
        assertTrue(password.length() >= 20);
        String users = Files.readString(dist.home.resolve("etc/users.properties"));
        assertFalse("stock karaf user", users.matches("(?s).*(^|\\n)\\s*karaf\\s*=.*"));
        assertFalse("plain password in the realm", users.contains(password));
        assertTrue(users.contains("admin = {CRYPT}"));
        // no key is shipped: the one trusted key is the operator's, made by this installation for bin/mamori
        String keys = Files.readString(dist.home.resolve("etc/keys.properties"));
        List<String> trusted = keys.lines().filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("_g_"))
                .collect(java.util.stream.Collectors.toList());
        assertEquals(trusted.toString(), 1, trusted.size());
        assertTrue(trusted.get(0), trusted.get(0).startsWith("admin = AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYA") && trusted.get(0).endsWith(",_g_:operators"));
        Path sshKey = dist.home.resolve("data/mamori/operator-ssh-key");
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(sshKey));
        // the TLS keystore password lives in the Pax Web configuration: owner-only (CRY-1)
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dist.home.resolve("etc/org.ops4j.pax.web.cfg")));
        String log = Files.readString(dist.home.resolve("data/log/karaf.log"));
        assertTrue(log.contains("initial-operator-password"));
        assertFalse("password in the log", log.contains(password));
    }

    @Test
    public void ops6_shellOnLoopbackOnly_noPlainHttp() throws Exception {
        assertTrue("SSH on loopback", canConnect("127.0.0.1", 8101));
        assertFalse("plain HTTP is off", canConnect("127.0.0.1", 8181));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address.getAddress().length == 4) {
                    assertFalse("SSH must not listen on " + address, canConnect(address.getHostAddress(), 8101));
                }
            }
        }
    }

    @Test
    public void cry1_onlyTls12And13() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            assertEquals(protocol, handshake(protocol));
        }
        for (String protocol : List.of("TLSv1.1", "TLSv1")) {
            try {
                handshake(protocol);
                fail(protocol + " was accepted");
            } catch (SSLHandshakeException | java.net.SocketException expected) {
                assertFalse("the client refused, not the server: " + expected.getMessage(),
                        String.valueOf(expected.getMessage()).contains("No appropriate protocol"));
            }
        }
    }

    @Test
    public void cry1_tls12OffersAeadSuitesOnly() throws Exception {
        for (String cbc : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")) {
            try (SSLSocket socket = (SSLSocket) dist.client().sslContext().getSocketFactory().createSocket("localhost", 8443)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {cbc});
                socket.startHandshake();
                fail(cbc + " was accepted");
            } catch (SSLHandshakeException | java.net.SocketException expected) {
                // the server has no CBC suite to offer
            }
        }
        try (SSLSocket socket = (SSLSocket) dist.client().sslContext().getSocketFactory().createSocket("localhost", 8443)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            String suite = socket.getSession().getCipherSuite();
            assertTrue(suite, suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")));
        }
    }

    /** Errors Jetty makes itself, before any servlet: problem+json with the security headers, nothing echoed. */
    @Test
    public void sec9_jettysOwnErrorsAreProblemJsonWithHeaders() throws Exception {
        String big = "x".repeat(20_000);
        for (String[] req : new String[][] {
            {"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n", "431"},
            {"GET /%zz<script> HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "400"}}) {
            String response = raw(req[0]);
            assertTrue(response, response.startsWith("HTTP/1.1 " + req[1]));
            assertTrue(response, response.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"));
            assertTrue(response, response.contains("X-Content-Type-Options: nosniff"));
            assertTrue(response, response.contains("X-Frame-Options: DENY"));
            assertFalse(response, response.contains("<html") || response.contains("<script>") || response.contains(big.substring(0, 100)));
        }
    }

    private static String raw(String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) dist.client().sslContext().getSocketFactory().createSocket("localhost", 8443)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void openApi_passesTheOpenApiParserValidationAndRedoclyLint() throws Exception {
        String json = dist.client().get("/api/v1/openapi.json").body();
        // Redocly CLI with its recommended rules (itests/openapi-lint/redocly.yaml): no error, no warning
        Path lint = Paths.get(System.getProperty("mamori.it.openapiLint", "openapi-lint")).toAbsolutePath();
        Path document = dist.home.resolve("openapi.json");
        Files.writeString(document, json);
        Process redocly = new ProcessBuilder(lint.resolve("node_modules/.bin/redocly").toString(), "lint",
                "--config", lint.resolve("redocly.yaml").toString(), document.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String report = new String(redocly.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue("redocly did not finish", redocly.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(report, 0, redocly.exitValue());
        assertFalse(report, report.toLowerCase(java.util.Locale.ROOT).contains("warning was generated"));
        assertTrue(report, report.contains("Your API description is valid"));
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(json, null, options);
        assertTrue("messages: " + result.getMessages(), result.getMessages() == null || result.getMessages().isEmpty());
        assertEquals("Mamori API", result.getOpenAPI().getInfo().getTitle());
        result.getOpenAPI().getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            assertTrue(path + " operationId", op.getOperationId() != null && !op.getOperationId().isBlank());
            assertTrue(path + " summary", op.getSummary() != null && !op.getSummary().isBlank());
            assertTrue(path + " tags", op.getTags() != null && !op.getTags().isEmpty());
        }));
    }

    @Test
    public void binMamori_runsShellCommandsWithoutATerminal() throws Exception {
        List<String> created = dist.mamori("mamori:tenant-create script-co \"Script Co\"");
        assertTrue(created.toString(), created.stream().anyMatch(l -> l.contains("Created tenant script-co")));
        List<String> list = dist.mamori("mamori:tenant-list --no-format");
        assertTrue(list.toString(), list.stream().anyMatch(l -> l.contains("script-co") && l.contains("Script Co")));
        List<String> out = new java.util.ArrayList<>();
        int rc = dist.mamori("mamori:tenant-expire no-such-tenant", out::add);
        assertTrue("a failing command fails the script", rc != 0);
        assertTrue(out.toString(), out.stream().anyMatch(l -> l.contains("No tenant 'no-such-tenant'")));
    }

    @Test
    public void cry3_sealedVaultFailsClosedAndUnsealsWithoutRestart() throws Exception {
        Path passphrase = dist.home.resolve("vault-passphrase/master-passphrase");
        Path aside = dist.home.resolve("master-passphrase.aside");
        dist.stop();
        Files.move(passphrase, aside);
        try {
            dist.start();
            // the clean stop above wrote the class data sharing archive; this start maps it (bin/setenv)
            String command = Wait.until("server process", Duration.ofSeconds(30),
                    () -> dist.process().flatMap(ph -> ph.info().commandLine()).orElse(null));
            assertTrue(command, command.contains("-XX:SharedArchiveFile=" + dist.home.resolve("data/mamori/cds")));
            assertFalse(command, command.contains("--patch-module"));
            try (java.util.stream.Stream<Path> archives = Files.list(dist.home.resolve("data/mamori/cds"))) {
                assertEquals(1, archives.filter(a -> a.getFileName().toString().endsWith(".jsa")).count());
            }
            java.net.http.HttpResponse<String> sealed = Wait.until("health reports the sealed vault", Duration.ofSeconds(120), () -> {
                java.net.http.HttpResponse<String> r = dist.client().get("/api/v1/health");
                return r.statusCode() == 503 && r.body().contains("\"vault\":{\"status\":\"DOWN\"") ? r : null;
            });
            assertTrue(sealed.body(), sealed.body().contains("\"ready\":false"));
            List<String> status = dist.mamori("mamori:vault-status");
            assertTrue(status.toString(), status.stream().anyMatch(l -> l.contains("Vault SEALED")));
            List<String> unsealed = dist.mamori("mamori:vault-unseal --passphrase-file " + aside);
            assertTrue(unsealed.toString(), unsealed.stream().anyMatch(l -> l.contains("Vault UNSEALED")));
            dist.awaitHealthy(Duration.ofSeconds(30));
        } finally {
            if (!Files.exists(passphrase)) {
                Files.move(aside, passphrase);
            }
        }
    }

    /**
     * A keystore that goes missing while wrapped keys exist (an unmounted volume) is never replaced:
     * the vault stays sealed and says why; the keystore back in place, it opens again.
     */
    @Test
    public void cry3_aMissingKeystoreIsNeverReplaced() throws Exception {
        dist.mamori("mamori:tenant-create keystore-co \"Keystore Co\"");
        // a data key stored, wrapped: from now on this installation's keystore can never be made anew
        assertTrue(dist.mamori("mamori:vault-rotate-tenant keystore-co").toString().contains("version 1"));
        Path keystore = dist.home.resolve("vault/master.bcfks");
        byte[] before = Files.readAllBytes(keystore);
        Path aside = dist.home.resolve("master.bcfks.aside");
        dist.stop();
        Files.move(keystore, aside);
        try {
            dist.start();
            java.net.http.HttpResponse<String> sealed = Wait.until("health says why the vault is sealed", Duration.ofSeconds(120), () -> {
                java.net.http.HttpResponse<String> r = dist.client().get("/api/v1/health");
                return r.statusCode() == 503 && r.body().contains("keystore missing") ? r : null;
            });
            assertTrue(sealed.body(), sealed.body().contains("\"vault\":{\"status\":\"DOWN\""));
            assertFalse("no new keystore was made", Files.exists(keystore));
            String log = Files.readString(dist.home.resolve("data/log/karaf.log"));
            assertTrue(log.contains("master keystore missing while wrapped keys exist"));
            dist.stop();
        } finally {
            Files.move(aside, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        dist.start();
        dist.awaitHealthy(Duration.ofSeconds(120));
        org.junit.Assert.assertArrayEquals("the original keystore, untouched", before, Files.readAllBytes(keystore));
    }

    /**
     * Durability of the embedded default: tenants are created one by one through the shell; each
     * "Created" line is an acknowledged commit. The server is killed with SIGKILL in the middle of
     * the stream, restarted, and every acknowledged tenant must be there. With H2's default
     * WRITE_DELAY of 500 ms this loses the last acknowledged commits.
     */
    @Test
    public void zz_kill9_losesNoAcknowledgedCommit() throws Exception {
        StringBuilder script = new StringBuilder();
        int total = 3000;
        for (int i = 0; i < total; i++) {
            script.append(String.format("mamori:tenant-create dur-%05d D%d; ", i, i));
        }
        Set<String> acknowledged = Collections.synchronizedSet(new LinkedHashSet<>());
        AtomicInteger killAt = new AtomicInteger(400);
        Thread killer = new Thread(() -> {
            try {
                Wait.until("400 acknowledged commits", Duration.ofSeconds(120), () -> acknowledged.size() >= killAt.get());
                dist.kill9();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        dist.mamori(script.toString(), line -> {
            Matcher m = CREATED.matcher(line);
            if (m.find()) {
                acknowledged.add(m.group(1));
            }
        });
        killer.join(180_000);
        assertFalse("server was killed", dist.process().isPresent());
        int acked = acknowledged.size();
        assertTrue("acknowledged " + acked, acked >= 400 && acked < total);

        long t0 = System.nanoTime();
        dist.start();
        dist.awaitHealthy(Duration.ofSeconds(120));
        System.out.println("FIGURE restart after kill -9 to healthy: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Set<String> present = new LinkedHashSet<>();
        for (String line : dist.mamori("mamori:tenant-list --no-format")) {
            Matcher m = Pattern.compile("\\b(dur-\\d{5})\\b").matcher(line);
            if (m.find()) {
                present.add(m.group(1));
            }
        }
        Set<String> lost = new LinkedHashSet<>(acknowledged);
        lost.removeAll(present);
        System.out.println("FIGURE kill -9: acknowledged " + acked + ", present after restart " + present.size()
                + ", lost " + lost.size());
        assertTrue("lost acknowledged commits: " + lost, lost.isEmpty());
    }

    private static boolean canConnect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static String handshake(String protocol) throws Exception {
        try (SSLSocket socket = (SSLSocket) dist.client().sslContext().getSocketFactory().createSocket("localhost", 8443)) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}
