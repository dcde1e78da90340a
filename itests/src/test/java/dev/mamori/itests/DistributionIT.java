package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The distribution as an operator runs it (bin/start, bin/mamori, kill -9), started once for the
 * class on free ports: first-start hardening, TLS, ports, scripting without a terminal, sealing, and
 * durability. The server JVM and this one allow what a stock JDK refuses in TLS ({@link Tls}), so
 * every TLS refusal seen here is Mamori's. Each test leaves the server running, or the next one
 * starts it: none depends on the order JUnit picks.
 */
public class DistributionIT {
    private static final Pattern CREATED = Pattern.compile("Created tenant (dur-\\d+) ");
    private static Distribution dist;
    private static long firstStartMillis;

    @BeforeClass
    public static void startFresh() throws Exception {
        Tls.permissiveClient();
        dist = Distribution.unpack("process");
        Path security = Tls.permissiveServerSecurity(dist.home.resolve("it-permissive-java.security"));
        dist.serverOptions("-Djava.security.properties=" + security);
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

    /**
     * Each test finds the server running and healthy, whatever ran before it: one that failed half-way
     * (a server stopped, sealed, or killed) is started again.
     */
    @Before
    public void serverRunning() throws Exception {
        if (dist.process().isEmpty()) {
            dist.start();
        }
        try {
            dist.awaitHealthy(Duration.ofSeconds(60));
        } catch (AssertionError notHealthy) {
            dist.stop();
            dist.start();
            dist.awaitHealthy(Duration.ofSeconds(120));
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

    /**
     * OPS-6: every TCP socket the server JVM listens on, IPv4 and IPv6: HTTPS on all addresses, the
     * operator shell on IPv4 loopback, Karaf's stop port (bin/stop) on loopback. Nothing else: no plain
     * HTTP, no JMX/RMI, no shell on another address.
     */
    @Test
    public void ops6_listensOnlyOnHttpsAndTheLoopbackShell() throws Exception {
        long pid = dist.process().orElseThrow().pid();
        int stopPort = Integer.parseInt(Files.readString(dist.home.resolve("data/port")).trim());
        // 0.0.0.0 in the configuration: Java binds it as the dual-stack wildcard, listed as "*"
        assertEquals(new TreeSet<>(List.of("*:" + dist.httpsPort, "127.0.0.1:" + dist.sshPort, "127.0.0.1:" + stopPort)),
                Listeners.of(pid));
        // the reading sees IPv6 and loopback listeners where they exist (here: this JVM's own)
        try (ServerSocket v4 = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ServerSocket v6 = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            Set<String> own = Listeners.of(ProcessHandle.current().pid());
            assertTrue(own.toString(), own.contains("127.0.0.1:" + v4.getLocalPort()));
            assertTrue(own.toString(), own.contains("[0:0:0:0:0:0:0:1]:" + v6.getLocalPort()));
        }
    }

    /**
     * CRY-1: the server JVM reads the permissive override (its marker suite is refused); TLS 1.3 and 1.2
     * are accepted; TLS 1.1 and 1.0, which that JVM would speak, are refused as a protocol version.
     */
    @Test
    public void cry1_onlyTls12And13() throws Exception {
        SSLContext ctx = dist.client().sslContext();
        assertServerJvmIsPermissive(ctx);
        assertTrue(Tls.handshake(ctx, dist.httpsPort, "TLSv1.3").startsWith("TLSv1.3 "));
        assertTrue(Tls.handshake(ctx, dist.httpsPort, "TLSv1.2").startsWith("TLSv1.2 "));
        Map<String, String> old = new TreeMap<>();
        for (String protocol : List.of("TLSv1.1", "TLSv1")) {
            old.put(protocol, Tls.outcome(ctx, dist.httpsPort, protocol));
        }
        assertEquals(Map.of("TLSv1.1", "protocol_version", "TLSv1", "protocol_version"), old);
    }

    /**
     * CRY-1 with the first-start ECDSA certificate: every suite without AEAD or without forward secrecy,
     * offered alone, is refused by the server; offered everything, TLS 1.2 settles on ECDHE with AES-GCM.
     */
    @Test
    public void cry1_tls12OffersAeadSuitesOnly() throws Exception {
        SSLContext ctx = dist.client().sslContext();
        assertServerJvmIsPermissive(ctx);
        assertAllRefused(Tls.outcomes(ctx, dist.httpsPort, List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
                "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
                "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256")));
        String negotiated = Tls.handshake(ctx, dist.httpsPort, "TLSv1.2");
        assertTrue(negotiated, negotiated.matches("TLSv1\\.2 TLS_ECDHE_ECDSA_WITH_AES_(128_GCM_SHA256|256_GCM_SHA384)"));
    }

    /**
     * CRY-1 with an operator's own RSA certificate (configured at runtime, as documented): RSA key
     * exchange, CBC, 3DES and NULL suites refused, ECDHE_RSA with AEAD negotiated; the first-start
     * certificate back afterwards.
     */
    @Test
    public void cry1_anOperatorsRsaCertificateGetsTheSamePolicy() throws Exception {
        Path rsa = dist.home.resolve("etc/it-operator-rsa.p12");
        char[] password = "it-operator-rsa-password".toCharArray();
        Tls.rsaKeystore(rsa, "operator-rsa", password);
        SSLContext ctx = Tls.trusting(rsa, password);
        assertServerJvmIsPermissive(dist.client().sslContext());
        Path cfg = dist.home.resolve("etc/org.ops4j.pax.web.cfg");
        String shipped = Files.readString(cfg);
        try {
            dist.setProperty("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore", rsa.toString());
            dist.setProperty("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore.password", new String(password));
            dist.setProperty("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.key.password", new String(password));
            dist.setProperty("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.key.alias", "operator-rsa");
            String negotiated = Wait.until("the RSA certificate served", Duration.ofSeconds(60),
                    () -> Tls.handshake(ctx, dist.httpsPort, "TLSv1.2"));
            assertTrue(negotiated, negotiated.matches("TLSv1\\.2 TLS_ECDHE_RSA_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384)"));
            assertAllRefused(Tls.outcomes(ctx, dist.httpsPort, List.of(
                    "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_NULL_SHA", "TLS_RSA_WITH_NULL_SHA256")));
            assertEquals("protocol_version", Tls.outcome(ctx, dist.httpsPort, "TLSv1"));
        } finally {
            Files.writeString(cfg, shipped);
            Wait.until("the first-start certificate back", Duration.ofSeconds(60),
                    () -> dist.client().get("/api/v1/health").statusCode() == 200);
        }
    }

    /**
     * CRY-1: a client's renegotiation of a TLS 1.2 connection is refused explicitly: the server JVM
     * (bin/setenv: -Djdk.tls.rejectClientInitiatedRenegotiation=true) answers its ClientHello with a fatal
     * handshake_failure alert, before any key exchange; no second handshake, no answer to a second request.
     * Without the switch Jetty would close the connection with a close_notify instead, which testssl.sh 3.0
     * at times reports as "VULNERABLE (NOT ok), DoS threat".
     */
    @Test
    public void cry1_clientInitiatedRenegotiationRefused() throws Exception {
        List<String> args = List.of(dist.process().orElseThrow().info().arguments().orElseThrow());
        assertTrue("bin/setenv must start the server JVM with the JDK's switch: " + args,
                args.contains("-Djdk.tls.rejectClientInitiatedRenegotiation=true"));
        String outcome = Tls.renegotiation(dist.client().sslContext(), dist.httpsPort);
        assertEquals("a client-initiated TLS 1.2 renegotiation must be refused by the server JVM with a fatal alert (Jetty "
                + "must pass the ClientHello on: TlsBootstrap sets renegotiationAllowed true, renegotiationLimit 1 when the "
                + "JVM has the switch)", "refused handshake_failure", outcome);
    }

    /** The marker suite is allowed by Mamori and refused only by the permissive override: proof the server JVM reads it. */
    private static void assertServerJvmIsPermissive(SSLContext ctx) throws Exception {
        assertEquals("the marker suite", "handshake_failure", Tls.outcome(ctx, dist.httpsPort, "TLSv1.2", Tls.MARKER_SUITE));
        List<String> args = List.of(dist.process().orElseThrow().info().arguments().orElseThrow());
        assertTrue(args.toString(), args.contains("-Djava.security.properties=" + dist.home.resolve("it-permissive-java.security")));
    }

    private static void assertAllRefused(Map<String, String> outcomes) {
        Map<String, String> refused = new TreeMap<>();
        outcomes.keySet().forEach(suite -> refused.put(suite, "handshake_failure"));
        assertEquals("the server's answer to each suite", refused, outcomes);
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
        try (SSLSocket socket = (SSLSocket) dist.client().sslContext().getSocketFactory().createSocket("localhost", dist.httpsPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void openApi_passesTheOpenApiParserValidationAndRedoclyLint() throws Exception {
        // resources join the API as their bundles start, after health is ready: wait for the last of them
        String json = Wait.until("every resource in the document", Duration.ofSeconds(60), () -> {
            String body = dist.client().get("/api/v1/openapi.json").body();
            return List.of("\"/auth/login\"", "\"/me\"", "\"/users/{id}\"", "\"/ip-allowlist\"", "\"/tenants\"", "\"/jobs\"").stream()
                    .allMatch(body::contains) ? body : null;
        });
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
        // exactly the API's operations: a resource that vanished (or appeared unreviewed) fails here
        Map<String, Set<String>> operations = new TreeMap<>();
        result.getOpenAPI().getPaths().forEach((path, item) -> operations.put(path, new TreeSet<>(
                item.readOperationsMap().keySet().stream().map(Object::toString).collect(java.util.stream.Collectors.toSet()))));
        Map<String, Set<String>> expected = new TreeMap<>(Map.of("/health", Set.of("GET"), "/jobs", Set.of("GET"), "/jobs/{id}", Set.of("GET"),
                "/jobs/{id}/cancel", Set.of("POST"), "/jobs/{id}/artifacts/{name}", Set.of("GET")));
        // the auth capability (issue #8): sign-in and sessions, the account itself, the tenant's accounts and allow-list
        for (String auth : List.of("/auth/login", "/auth/logout", "/auth/mfa/enroll", "/auth/mfa/enroll/confirm", "/auth/mfa/verify",
                "/auth/password", "/auth/password-reset", "/auth/recovery", "/users/{id}/erase", "/users/{id}/password-reset",
                "/users/{id}/{action}")) {
            expected.put(auth, Set.of("POST"));
        }
        expected.putAll(Map.of("/me", Set.of("GET"), "/ip-allowlist", Set.of("GET", "PUT"), "/users", Set.of("GET", "POST"),
                "/users/{id}", Set.of("GET", "PUT"), "/users/{id}/profile", Set.of("GET"), "/users/{id}/roles", Set.of("PUT"),
                "/users/{id}/permissions", Set.of("PUT")));
        // tenants for operators (issue #8: the first REST endpoints that change tenants)
        expected.putAll(Map.of("/tenants", Set.of("GET", "POST"), "/tenants/{id}", Set.of("GET"), "/tenants/{id}/{change}", Set.of("POST")));
        // the audit log (issue #16)
        for (String audit : List.of("/audit/events", "/audit/export", "/audit/checkpoint", "/audit/proof/inclusion", "/audit/proof/consistency",
                "/audit/errors")) {
            expected.put(audit, Set.of("GET"));
        }
        expected.put("/audit/verify", Set.of("POST"));
        // records (issue #17): categories, records with their attachments, the trash, imports, exports, counts
        expected.putAll(Map.of("/categories", Set.of("GET"), "/categories/{name}", Set.of("GET", "PUT", "DELETE"),
                "/records", Set.of("GET", "POST"), "/records/{id}", Set.of("GET", "PUT", "DELETE"),
                "/records/{id}/attachments", Set.of("GET", "POST"), "/records/{id}/attachments/{attachment}", Set.of("GET", "DELETE"),
                "/trash", Set.of("GET"), "/trash/purge", Set.of("POST"), "/trash/{id}", Set.of("DELETE"),
                "/trash/{id}/restore", Set.of("POST")));
        expected.putAll(Map.of("/imports", Set.of("POST"), "/exports", Set.of("POST"), "/record-counts/{tenant}", Set.of("GET")));
        // notifications (issue #19): a user's notices, operators' incidents, the delivery log
        expected.putAll(Map.of("/notices", Set.of("GET"), "/notices/{id}/read", Set.of("POST"), "/incidents", Set.of("GET", "POST"),
                "/incidents/{id}", Set.of("GET", "PATCH"), "/incidents/{id}/notices", Set.of("POST"), "/deliveries", Set.of("GET")));
        expected.putAll(Map.of("/incidents/{id}/evidence", Set.of("GET"), "/announcements", Set.of("GET", "POST"),
                "/announcements/{id}/cancel", Set.of("POST"), "/sla", Set.of("GET"), "/sla/all", Set.of("GET")));
        // retention (issue #18): the calendar's dry run, legal holds
        expected.putAll(Map.of("/retention/plan", Set.of("GET"), "/legal-holds", Set.of("GET", "POST"), "/legal-holds/{id}/release",
                Set.of("POST")));
        assertEquals(expected, operations);
        // exactly two operations work without a session, and the document says so (redocly.yaml's exceptions)
        Set<String> open = new TreeSet<>();
        result.getOpenAPI().getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            if ((op.getSecurity() == null || op.getSecurity().isEmpty()) && result.getOpenAPI().getSecurity() == null) {
                open.add(path);
            }
        }));
        assertEquals(Set.of("/health", "/auth/login", "/auth/password-reset"), open);
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

    /**
     * CRY-3: a blob written through the vault (by a plugin's commands) before the server restarts without
     * its passphrase: refused while sealed, still refused after a wrong passphrase, readable after the
     * operator unseals - all in the one server process that started sealed.
     */
    @Test
    public void cry3_sealedVaultFailsClosedAndUnsealsWithoutRestart() throws Exception {
        String slug = "sealed-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        dist.mamori("mamori:tenant-create " + slug + " \"Sealed Co\"");
        String secret = "salary-" + java.util.UUID.randomUUID();
        Path passphrase = dist.home.resolve("vault-passphrase/master-passphrase");
        Path aside = dist.home.resolve("master-passphrase.aside");
        Path plugin = installPlugin();
        try {
            String blob = Wait.until("the plugin's commands", Duration.ofSeconds(30), () -> {
                List<String> out = new java.util.ArrayList<>();
                return dist.mamori("mamori:it-plugin-seal " + slug + " " + secret, out::add) == 0
                        ? out.stream().filter(l -> l.startsWith("blob ")).findFirst().orElseThrow().substring(5) : null;
            });
            assertEquals(List.of("text " + secret), openBlob(slug, blob));
            dist.stop();
            Files.move(passphrase, aside);
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
            ProcessHandle server = dist.process().orElseThrow();
            java.time.Instant started = server.info().startInstant().orElseThrow();
            assertTrue(dist.mamori("mamori:vault-status").toString().contains("Vault SEALED"));
            assertRefusedWhileSealed(slug, blob, secret);

            Path wrong = dist.home.resolve("wrong-passphrase");
            Files.writeString(wrong, "not-the-master-passphrase-0123456789");
            Files.setPosixFilePermissions(wrong, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            List<String> refused = new java.util.ArrayList<>();
            assertTrue("a wrong passphrase unsealed the vault", dist.mamori("mamori:vault-unseal --passphrase-file " + wrong, refused::add) != 0);
            assertTrue(refused.toString(), refused.stream().anyMatch(l -> l.contains("vault-sealed: ") && l.contains("wrong passphrase")));
            assertRefusedWhileSealed(slug, blob, secret);

            List<String> unsealed = dist.mamori("mamori:vault-unseal --passphrase-file " + aside);
            assertTrue(unsealed.toString(), unsealed.stream().anyMatch(l -> l.contains("Vault UNSEALED")));
            dist.awaitHealthy(Duration.ofSeconds(30));
            assertEquals(List.of("text " + secret), openBlob(slug, blob));
            ProcessHandle after = dist.process().orElseThrow();
            assertEquals("the same server process", server.pid(), after.pid());
            assertEquals(started, after.info().startInstant().orElseThrow());
        } finally {
            if (!Files.exists(passphrase)) {
                Files.move(aside, passphrase);
            }
            Files.deleteIfExists(plugin);
        }
    }

    private static void assertRefusedWhileSealed(String slug, String blob, String secret) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        assertTrue("decrypted while sealed: " + out, dist.mamori("mamori:it-plugin-open " + slug + " " + blob, out::add) != 0);
        assertTrue(out.toString(), out.stream().anyMatch(l -> l.contains("vault-sealed: ")));
        assertFalse(out.toString(), out.toString().contains(secret));
    }

    /** @return the plugin's answer lines ("text ..."), without the client script's notices */
    private static List<String> openBlob(String slug, String blob) throws Exception {
        return dist.mamori("mamori:it-plugin-open " + slug + " " + blob).stream().filter(l -> l.startsWith("text "))
                .collect(java.util.stream.Collectors.toList());
    }

    /**
     * Installs the test plugin (itests/plugin) through the deploy folder: bundle:install is Karaf system
     * administration, which the operator does not hold by default (group sysadmins, issue #8), while
     * whoever may write the server's files may deploy. The caller waits for the plugin's commands.
     *
     * @return the deployed file; deleting it uninstalls the plugin
     */
    private static Path installPlugin() throws Exception {
        Path jar = Paths.get(System.getProperty("mamori.it.plugin"));
        Path deployed = dist.home.resolve("deploy").resolve(jar.getFileName());
        Files.copy(jar, deployed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return deployed;
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
    public void kill9_losesNoAcknowledgedCommit() throws Exception {
        StringBuilder script = new StringBuilder();
        int total = 3000;
        for (int i = 0; i < total; i++) {
            script.append(String.format("mamori:tenant-create dur-%05d D%d; ", i, i));
        }
        Set<String> acknowledged = Collections.synchronizedSet(new LinkedHashSet<>());
        AtomicInteger killAt = new AtomicInteger(400);
        AtomicReference<Throwable> killFailed = new AtomicReference<>();
        long serverPid = dist.process().orElseThrow().pid();
        Thread killer = new Thread(() -> {
            try {
                Wait.until("400 acknowledged commits", Duration.ofSeconds(120), () -> acknowledged.size() >= killAt.get());
                // the server JVM only: bin/mamori's client JVM runs from the same folder
                assertEquals(serverPid, dist.kill9());
            } catch (Throwable e) {
                killFailed.set(e);
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
        if (killFailed.get() != null) {
            throw new AssertionError("kill -9 failed", killFailed.get());
        }
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

    /**
     * NTF-1 (issue #19): the server is killed with SIGKILL after the SMTP server took a notice and
     * before it could record that: restarted, it sends the notice again after its lease, with the
     * same Message-ID - one duplicate, which the receiver can drop by that header; the delivery log
     * then says SENT after two attempts.
     */
    @Test
    public void ntf_kill9BetweenSendAndBookkeepingSendsOnceMoreWithTheSameMessageId() throws Exception {
        Path email = dist.home.resolve("etc/dev.mamori.notification.email.cfg");
        Path notification = dist.home.resolve("etc/dev.mamori.notification.cfg");
        String emailBefore = Files.readString(email);
        String notificationBefore = Files.readString(notification);
        try (NotificationContainerTests.SmtpSink smtp = new NotificationContainerTests.SmtpSink()) {
            AtomicReference<Throwable> killFailed = new AtomicReference<>();
            smtp.beforeAccepting = m -> {
                if (smtp.messages.size() == 1) {
                    try {
                        dist.kill9();
                    } catch (Throwable e) {
                        killFailed.set(e);
                    }
                }
            };
            // Felix FileInstall applies etc/*.cfg to the running server
            Files.writeString(email, emailBefore.replaceAll("(?m)^port = .*$", "port = " + smtp.server.getLocalPort())
                    .replaceAll("(?m)^security = .*$", "security = none"));
            Files.writeString(notification, notificationBefore.replaceAll("(?m)^lease.seconds = .*$", "lease.seconds = 30"));
            String slug = "kill-ntf-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            dist.mamori("mamori:tenant-create " + slug + " \"Kill Co\"");
            dist.mamori("mamori:user-create --name \"Hanako Kill\" --email hanako@" + slug + ".example " + slug + " hanako E-1");
            String opened = String.join("\n", dist.mamori("mamori:incident-open --title \"Backup read\" --summary \"A backup was "
                    + "read.\" --tenant " + slug));
            Matcher id = Pattern.compile("Incident ([0-9a-f-]{36}) opened").matcher(opened);
            assertTrue(opened, id.find());
            // should the configuration be applied a moment after this, the first attempt waits its 30 s back-off
            dist.mamori("mamori:incident-notify --message \"We are on it.\" " + id.group(1));

            Wait.until("the notice at the SMTP server, the server killed", Duration.ofSeconds(180),
                    () -> smtp.messages.size() >= 1 && dist.process().isEmpty() ? true : null);
            if (killFailed.get() != null) {
                throw new AssertionError("kill -9 failed", killFailed.get());
            }
            dist.start();
            dist.awaitHealthy(Duration.ofSeconds(120));
            Wait.until("the notice again after its lease", Duration.ofSeconds(240), () -> smtp.messages.size() >= 2 ? true : null);
            Pattern messageId = Pattern.compile("(?m)^Message-ID: (<[^>]+>)$");
            Matcher first = messageId.matcher(smtp.messages.get(0));
            Matcher second = messageId.matcher(smtp.messages.get(1));
            assertTrue(smtp.messages.get(0), first.find());
            assertTrue(smtp.messages.get(1), second.find());
            assertEquals("the same Message-ID: a duplicate the receiver can drop", first.group(1), second.group(1));
            List<String> log = Wait.until("the delivery recorded", Duration.ofSeconds(60), () -> {
                List<String> lines = dist.mamori("mamori:delivery-list --no-format --tenant " + slug);
                return lines.stream().anyMatch(l -> l.contains("email") && l.contains("SENT")) ? lines : null;
            });
            assertTrue(log.toString(), log.stream().anyMatch(l -> l.contains("email") && l.contains("SENT") && l.matches(".*\\s2\\s.*")));
            assertEquals("nothing more than the one duplicate", 2, smtp.messages.size());
        } finally {
            Files.writeString(email, emailBefore);
            Files.writeString(notification, notificationBefore);
        }
    }
}
