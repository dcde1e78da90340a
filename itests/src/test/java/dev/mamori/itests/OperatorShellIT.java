package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The operator shell as an attacker meets it, over real SSH sessions to a fresh distribution (issue
 * #14, F1; SEC-2, OPS-1, OPS-2, OPS-3, OPS-6, IAM-10): the first operator signs in with password and
 * TOTP code; its session, the installation's script key ({@code bin/mamori}) and a support account
 * reach the {@code mamori:*} commands their role allows and nothing else - no Gogo method call
 * (the framework's bundle context and {@code Runtime.exec}), no file read or written, no Karaf
 * command. A sysadmin key still administers Karaf.
 */
public class OperatorShellIT {
    private static Distribution dist;
    private static String operatorPassword;
    private static byte[] operatorSecret;
    private static long lastStep;

    @BeforeClass
    public static void freshDistribution() throws Exception {
        dist = Distribution.unpack("operator-shell");
        dist.start();
        dist.awaitHealthy(Duration.ofSeconds(120));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    /** The attacks of the review (and their relatives), each of which must be refused; none may create {@code proof}. */
    private static List<String> attacks(Path proof) {
        String web = dist.home.resolve("etc/org.ops4j.pax.web.cfg").toString();
        return List.of(
                "rt = ((($.context) getBundle 0) loadClass \"java.lang.Runtime\") ; ($rt getRuntime) exec \"touch " + proof + "\"",
                "((([] getClass) forName java.lang.Runtime) getRuntime) exec \"touch " + proof + "\"",
                "cat " + web,
                "shell:head " + web,
                "config:list \"(service.pid=org.ops4j.pax.web)\"",
                "shell:exec touch " + proof,
                "mamori:tenant-list > " + proof,
                "shell:new java.io.FileOutputStream " + proof,
                "system:property java.home",
                "bundle:install mvn:dev.mamori/none/1",
                "feature:list");
    }

    /**
     * IAM-10, OPS-3: the first operator sets its password with the handed-over token, enrols TOTP over
     * REST, and the SSH shell (realm mamori) then takes the password with the current code - and
     * nothing less.
     */
    @Test
    public void ops3_theFirstOperatorSignsInToTheShellWithPasswordAndTotpCode() throws Exception {
        operator();
        // the password alone, or with a wrong code: no shell
        String noCode = refusedShell("admin", operatorPassword);
        assertFalse(noCode, noCode.contains("Slug"));
        String refused = refusedShell("admin", operatorPassword + " 000000");
        assertFalse(refused, refused.contains("Slug"));
        String out = shellSession("admin", operatorPassword + " " + nextCode(), List.of("bundle:install mvn:dev.mamori/none/1"));
        assertTrue(out, out.contains("Slug"));
        assertTrue("Karaf's administration is not the operator's: " + out, out.contains("Command not found: bundle:install"));
    }

    /** SEC-2, OPS-6: one interactive SSH session of the operator (password and code): every attack refused. */
    @Test
    public void sec2_theOperatorsSshSessionRunsMamoriCommandsOnly() throws Exception {
        operator();
        Path proof = dist.home.resolve("rce-proof-" + UUID.randomUUID());
        List<String> attacks = attacks(proof);
        String out = shellSession("admin", operatorPassword + " " + nextCode(), attacks);
        assertRefused(out, attacks, proof);
        assertTrue(out, out.contains("Slug"));
    }

    /** SEC-2, OPS-6: the installation's script key (bin/mamori, the operators group): every attack refused. */
    @Test
    public void sec2_theScriptKeyRunsMamoriCommandsOnly() throws Exception {
        Path proof = dist.home.resolve("rce-proof-" + UUID.randomUUID());
        for (String attack : attacks(proof)) {
            List<String> out = new ArrayList<>();
            int rc = dist.mamori(attack, out::add);
            String text = String.join("\n", out).replaceAll("\u001B\\[[;\\d]*m", "");
            assertTrue(attack + " -> " + text, rc != 0);
            assertRefused(text, List.of(attack), proof);
        }
        assertTrue(String.join("\n", dist.mamori("mamori:tenant-list")).contains("Slug"));
    }

    /**
     * OPS-1: support reads metadata over REST and has no shell: with its right password and code the SSH
     * sign-in is refused, while the same account signs in over REST.
     */
    @Test
    public void ops1_supportHasNoShell() throws Exception {
        String login = "helpdesk-" + UUID.randomUUID().toString().substring(0, 6);
        String created = String.join("\n", dist.mamori("mamori:operator-create --support " + login));
        Matcher token = Pattern.compile("Reset token \\(works once, expires soon\\): (\\S+)").matcher(created);
        assertTrue(created, token.find());
        String password = "Support-Shell-" + UUID.randomUUID().toString().substring(0, 8) + "7x";
        byte[] secret = enrol(login, token.group(1), password);
        long step = TotpCodes.step(Instant.now()) + 1;
        String refused = refusedShell(login, password + " " + TotpCodes.code(secret, step));
        assertFalse(refused, refused.contains("Slug"));
        String log = Files.readString(dist.home.resolve("data/log/karaf.log"));
        assertTrue("the server says why: " + log.length(), log.contains("Shell sign-in of '" + login + "' refused: only operators use the shell"));
    }

    /**
     * IAM-9, OPS-3 (issue #15): one wrong TOTP code over SSH counts exactly one failure - the shell signs
     * in through the same one-step sign-in with a code as REST, which ends the half-signed-in session of
     * a wrong code instead of leaving it to be counted again as an abandoned password step. Each attempt
     * is one SSH password authentication (one JAAS login); the account's lock, as {@code
     * mamori:operator-list} shows it, is the observable: four wrong codes leave a fresh operator
     * unlocked (with two failures each it would be locked after three), the fifth locks it (so each
     * counted), and the right code is then refused.
     */
    @Test
    public void iam9_oneWrongCodeOverSshCountsExactlyOneFailure() throws Exception {
        String login = "op-" + UUID.randomUUID().toString().substring(0, 6);
        String created = String.join("\n", dist.mamori("mamori:operator-create " + login));
        Matcher token = Pattern.compile("Reset token \\(works once, expires soon\\): (\\S+)").matcher(created);
        assertTrue(created, token.find());
        String password = "Operator-Count-" + UUID.randomUUID().toString().substring(0, 8) + "7x";
        byte[] secret = enrol(login, token.group(1), password);
        for (int i = 1; i <= 5; i++) {
            assertFalse("wrong code " + i + " refused", sshPasswordAccepted(login, password + " " + wrongCode(secret)));
            assertEquals("locked after " + i + " wrong code(s)", i == 5, locked(login));
        }
        long step = TotpCodes.step(Instant.now()) + 1;
        assertFalse("locked: even the right code is refused", sshPasswordAccepted(login, password + " " + TotpCodes.code(secret, step)));
    }

    /**
     * One SSH connection that authenticates by password only - exactly one password check by the server
     * (Karaf's bin/client also offers the password as keyboard-interactive first).
     *
     * @return whether the server accepted it
     */
    private static boolean sshPasswordAccepted(String user, String password) throws Exception {
        org.apache.sshd.client.SshClient client = org.apache.sshd.client.SshClient.setUpDefaultClient();
        client.setUserAuthFactories(List.of(org.apache.sshd.client.auth.password.UserAuthPasswordFactory.INSTANCE));
        client.setServerKeyVerifier(org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        try (org.apache.sshd.client.session.ClientSession session = client.connect(user, "127.0.0.1", dist.sshPort)
                .verify(Duration.ofSeconds(30)).getSession()) {
            session.addPasswordIdentity(password);
            try {
                session.auth().verify(Duration.ofSeconds(60));
                return true;
            } catch (org.apache.sshd.common.SshException refused) {
                return false;
            }
        } finally {
            client.stop();
        }
    }

    /** @return whether mamori:operator-list shows the account locked */
    private static boolean locked(String login) throws Exception {
        for (String line : dist.mamori("mamori:operator-list --no-format")) {
            String[] cells = line.replaceAll("\u001B\\[[;\\d]*m", "").strip().split("\\s+");
            if (cells.length > 3 && cells[0].equals(login)) {
                return cells[3].equals("yes");
            }
        }
        throw new AssertionError(login + " not in mamori:operator-list");
    }

    /** @return a code that matches no step the server accepts now (one either side) */
    private static String wrongCode(byte[] secret) {
        long now = TotpCodes.step(Instant.now());
        java.util.Set<String> window = java.util.Set.of(TotpCodes.code(secret, now - 1), TotpCodes.code(secret, now),
                TotpCodes.code(secret, now + 1), TotpCodes.code(secret, now + 2));
        for (int i = 0;; i++) {
            String c = String.format(java.util.Locale.ROOT, "%06d", (123457 + i * 7919) % 1_000_000);
            if (!window.contains(c)) {
                return c;
            }
        }
    }

    /** A sysadmin key (the sysadmins group, given deliberately) still administers Karaf, method calls included. */
    @Test
    public void aSysadminKeyStillAdministersKaraf() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(3072);
        KeyPair pair = kpg.generateKeyPair();
        Path key = dist.home.resolve("sysadmin-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        // the key realm resolves groups in its own file
        Files.writeString(dist.home.resolve("etc/keys.properties"), "\n_g_\\:sysadmins = group,admin,manager,viewer,systembundles,ssh\n"
                + "root = " + sshRsa((RSAPublicKey) pair.getPublic()) + ",_g_:sysadmins\n", java.nio.file.StandardOpenOption.APPEND);
        String framework = Wait.until("sysadmin key accepted", Duration.ofSeconds(30), () -> {
            String out = sysadmin(key, "echo ((($.context) getBundle 0) getSymbolicName)");
            return out.contains("org.apache.felix.framework") ? out : null;
        });
        assertTrue(framework, framework.contains("org.apache.felix.framework"));
        assertTrue(sysadmin(key, "bundle:list -t 0 -s").contains("dev.mamori.platform"));
        assertTrue(sysadmin(key, "cat etc/org.apache.karaf.shell.cfg").contains("sshRealm = mamori"));
        // and Mamori's commands stay the operators'
        assertTrue(sysadmin(key, "mamori:tenant-list").contains("Command not found: mamori:tenant-list"));
    }

    private static String sysadmin(Path key, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(dist.home.resolve("bin/mamori").toString(), command).directory(dist.home.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("MAMORI_USER", "root");
        pb.environment().put("MAMORI_KEY_FILE", key.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/mamori did not finish: " + out, p.waitFor(60, TimeUnit.SECONDS));
        return out.replaceAll("\u001B\\[[;\\d]*m", "");
    }

    /** @return the public key as {@code etc/keys.properties} holds it: the SSH wire format of ssh-rsa, Base64 */
    private static String sshRsa(RSAPublicKey key) throws IOException {
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(wire);
        for (byte[] part : new byte[][] {"ssh-rsa".getBytes(StandardCharsets.US_ASCII), key.getPublicExponent().toByteArray(),
                key.getModulus().toByteArray()}) {
            out.writeInt(part.length);
            out.write(part);
        }
        return Base64.getEncoder().encodeToString(wire.toByteArray());
    }

    private static void assertRefused(String out, List<String> attacks, Path proof) throws Exception {
        String password = Files.readAllLines(dist.home.resolve("etc/org.ops4j.pax.web.cfg")).stream()
                .filter(l -> l.startsWith("org.ops4j.pax.web.ssl.keystore.password")).findFirst().orElseThrow();
        String secret = password.substring(password.indexOf('=') + 1).strip();
        assertFalse("the TLS keystore password leaked: " + out, out.contains(secret));
        assertFalse("the framework answered a method call: " + out, out.contains("org.apache.felix.framework"));
        assertFalse("Java's home leaked: " + out, out.contains(System.getProperty("java.home")));
        int refusals = count(out, "Command not found: ") + count(out, "Insufficient credentials");
        assertEquals("every attack refused (one refusal each): " + out, attacks.size(), refusals);
        assertFalse("a refused command created " + proof, Files.exists(proof));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /** The first operator, once for the class: password from the handed-over token, TOTP enrolled. */
    private static synchronized void operator() throws Exception {
        if (operatorPassword != null) {
            return;
        }
        Path handover = dist.home.resolve("data/mamori/initial-operator-reset-token");
        assertTrue(Files.exists(handover));
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(handover));
        String password = "Operator-Shell-" + UUID.randomUUID().toString().substring(0, 8) + "9x";
        operatorSecret = enrol("admin", Files.readString(handover).trim(), password);
        operatorPassword = password;
        lastStep = TotpCodes.step(Instant.now());
    }

    /** Password from the reset token, sign-in, TOTP enrolment and its confirmation (which uses this step's code). */
    private static byte[] enrol(String login, String resetToken, String password) throws Exception {
        HttpResponse<String> reset = dist.client().post("/api/v1/auth/password-reset", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"token\":\"" + resetToken + "\",\"password\":\"" + password + "\"}"));
        assertEquals(reset.body(), 204, reset.statusCode());
        HttpResponse<String> signIn = dist.client().post("/api/v1/auth/login", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"login\":\"" + login + "\",\"password\":\"" + password + "\",\"session\":\"bearer\"}"));
        assertEquals(signIn.body(), 200, signIn.statusCode());
        assertTrue(signIn.body(), signIn.body().contains("\"state\":\"MFA_ENROLMENT_REQUIRED\""));
        String token = field(signIn.body(), "token");
        HttpResponse<String> enrol = dist.client().send(HttpRequest.newBuilder()
                .uri(URI.create(dist.client().base() + "/api/v1/auth/mfa/enroll")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(enrol.body(), 200, enrol.statusCode());
        byte[] secret = TotpCodes.base32(field(enrol.body(), "secret"));
        HttpResponse<String> confirmed = dist.client().send(HttpRequest.newBuilder()
                .uri(URI.create(dist.client().base() + "/api/v1/auth/mfa/enroll/confirm"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + TotpCodes.code(secret, TotpCodes.step(Instant.now())) + "\"}")));
        assertEquals(confirmed.body(), 200, confirmed.statusCode());
        return secret;
    }

    /**
     * @return a code of a step no sign-in used yet (each is accepted once) that the server still takes (one
     *         step either side of now); waits for the clock when the next one is not due yet
     */
    private static synchronized String nextCode() throws Exception {
        long step = lastStep + 1;
        Wait.until("TOTP step " + step + " within the window", Duration.ofSeconds(45),
                () -> TotpCodes.step(Instant.now()) + 1 >= step ? Boolean.TRUE : null);
        lastStep = Math.max(step, TotpCodes.step(Instant.now()) - 1);
        return TotpCodes.code(operatorSecret, lastStep);
    }

    /** A sign-in that must fail: stdin at end-of-file, so a client that asks again gets no answer and gives up. */
    private static String refusedShell(String user, String password) throws Exception {
        Process p = new ProcessBuilder(dist.home.resolve("bin/client").toString(), "-r", "1", "-a", Integer.toString(dist.sshPort),
                "-h", "127.0.0.1", "-u", user, "-p", password, "mamori:tenant-list").directory(dist.home.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client did not finish: " + out, p.waitFor(60, TimeUnit.SECONDS));
        assertTrue("refused: " + out, out.contains("No more authentication methods available") || out.contains("Authentication failed"));
        return out;
    }

    /**
     * One interactive SSH session with a password (no key, no terminal): types each command, then
     * {@code mamori:tenant-list} as the end marker, and returns what the session printed once the marker's
     * table arrived. Standard input stays open until then (at its end the client would end the session).
     */
    private static String shellSession(String user, String password, List<String> commands) throws Exception {
        Process p = new ProcessBuilder(dist.home.resolve("bin/client").toString(), "-r", "1", "-a", Integer.toString(dist.sshPort),
                "-h", "127.0.0.1", "-u", user, "-p", password).directory(dist.home.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (out) {
                        out.append(line.replaceAll("\u001B\\[[;\\d]*m", "")).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process went: what it printed is in out
            }
        });
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            for (String c : commands) {
                in.write((c + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.write("mamori:tenant-list\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            Wait.until("the session ran every command", Duration.ofSeconds(60), () -> {
                synchronized (out) {
                    return out.indexOf("Slug") >= 0 ? Boolean.TRUE : null;
                }
            });
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        synchronized (out) {
            return out.toString();
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(json, m.find());
        return m.group(1);
    }
}
