package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;

import javax.inject.Inject;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Mamori in a Karaf of someone else's (issue #10): a <b>stock</b> Apache Karaf, as Maven Central
 * serves it, where the tests do what the README tells a Karaf user to do - {@code feature:repo-add}
 * the features and {@code feature:install mamori} - and nothing else: no file of the distribution
 * is copied in. The one thing the test sets up as the container's owner is where Maven artifacts
 * come from (the distribution's {@code system/} folder, standing in for a Maven repository that
 * holds Mamori) and free ports.
 *
 * <p>The container knows nothing of Mamori when it starts, so this class uses no Mamori type: it
 * sees the product only as a user does (HTTPS, the shell, the realm, Config Admin, the bundles).
 * Each test installs Mamori if an earlier one uninstalled it; the uninstall test sorts last so that
 * normally one installation serves all of them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class StockKarafIT {
    private static final String VERSION = "mamori.it.version";
    private static final String FEATURES = "mvn:dev.mamori/mamori-features/%s/xml/features";

    @Inject
    protected BundleContext bundleContext;
    @Inject
    protected FeaturesService features;
    @Inject
    protected SessionFactory sessionFactory;
    @Inject
    protected ConfigurationAdmin configAdmin;

    private static Https https;

    @Configuration
    public Option[] config() throws Exception {
        File work = new File(System.getProperty("mamori.it.work", "target/it-work"));
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        String version = System.getProperty("mamori.version");
        if (version == null) {
            throw new IllegalStateException("-Dmamori.version (the project version) is not set");
        }
        Path repository = mamoriRepository(work.toPath());
        String mvn = "etc/org.ops4j.pax.url.mvn.cfg";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").type("tar.gz")
                            .version(System.getProperty("karaf.version", "4.4.10")))
                    .name("Apache Karaf")
                    .karafVersion(System.getProperty("karaf.version", "4.4.10"))
                    .unpackDirectory(new File(work, "stock"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.WARN),
            // the container owner's Maven setup: a repository that holds Mamori (the distribution's
            // system/ folder, searched before the local repository so that no older snapshot is taken)
            editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.defaultRepositories",
                    "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                    + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                    + repository.toUri() + "@id=mamori@snapshots"),
            editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFilePut(mvn, "org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central"),
            // free ports, so the test runs beside servers on Karaf's and Mamori's defaults; plain HTTP
            // switched on as stock Pax Web has it, on a port of its own
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.enabled", "true"),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure",
                    Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(FreePorts.next())),
            // the owner's one step for a locked-down shell (README): commands no ACL names need admin (SEC-2)
            editConfigurationFilePut("etc/system.properties", "karaf.secured.command.compulsory.roles", "admin"),
            systemProperty(VERSION).value(version),
            vmOption("-Xmx512m")
        };
    }

    /** The distribution's system/ folder: every bundle the features need, and the features themselves. */
    private static Path mamoriRepository(Path work) throws Exception {
        File tarball = new File(System.getProperty("mamori.distribution", "missing"));
        if (!tarball.isFile()) {
            throw new IllegalStateException("Distribution not found at " + tarball + "; build karaf-assembly first");
        }
        Path dir = work.resolve("stock-repository").toAbsolutePath();
        Path marker = dir.resolve(".unpacked");
        if (!Files.exists(marker) || Files.getLastModifiedTime(marker).toMillis() < tarball.lastModified()) {
            Distribution.run(List.of("rm", "-rf", dir.toString()), null);
            Files.createDirectories(dir);
            Distribution.run(List.of("tar", "xzf", tarball.getAbsolutePath(), "-C", dir.toString(), "--strip-components=1",
                    "--wildcards", "*/system/*"), null);
            Files.createFile(marker);
        }
        return dir.resolve("system");
    }

    private String featuresUrl() {
        return String.format(FEATURES, System.getProperty(VERSION));
    }

    /** Mamori installed (as the README says), HTTPS to it trusting exactly its generated certificate, healthy. */
    @Before
    public void installed() throws Exception {
        org.apache.karaf.features.Feature mamori = features.getFeature("mamori");
        if (mamori == null || !features.isInstalled(mamori)) {
            execute("feature:repo-add " + featuresUrl(), "admin");
            execute("feature:install mamori", "admin");
            https = null;
        }
        if (https == null) {
            String password = Wait.until("HTTPS configuration", Duration.ofSeconds(60), () -> {
                Object pw = webConfig().get("org.ops4j.pax.web.ssl.keystore.password");
                return pw == null ? null : pw.toString();
            });
            Path keystore = Paths.get(System.getProperty("karaf.etc"), "mamori-tls.p12");
            https = Https.trusting(keystore, password.toCharArray(), "https://localhost:" + webConfig().get("org.osgi.service.http.port.secure"));
        }
        Wait.until("health 200", Duration.ofSeconds(120), () -> https.get("/api/v1/health").statusCode() == 200);
    }

    @Test
    public void cry1_ops5_featuresBringTheirDefaults_healthyOverHttps() throws Exception {
        HttpResponse<String> health = https.get("/api/v1/health");
        assertEquals(health.body(), 200, health.statusCode());
        String body = health.body();
        for (String check : List.of("database", "pii-database", "schema", "vault", "audit", "operator-shell")) {
            assertTrue(check + " in " + body, body.contains("\"" + check + "\""));
        }
        assertFalse(body, body.contains("\"DOWN\""));
        // the defaults came from the features, into the container's etc/ (Karaf's <config>), placeholders expanded
        Path etc = Paths.get(System.getProperty("karaf.etc"));
        Path data = Paths.get(System.getProperty("karaf.data"));
        for (String pid : List.of("dev.mamori.health", "dev.mamori.rest", "dev.mamori.tenant", "dev.mamori.clock",
                "org.ops4j.datasource-mamori", "org.ops4j.datasource-mamori-pii", "org.apache.karaf.command.acl.mamori", "dev.mamori.audit",
                "dev.mamori.events")) {
            assertTrue(pid, Files.isRegularFile(etc.resolve(pid + ".cfg")));
        }
        assertEquals("database,pii-database,schema,vault,audit", configuration("dev.mamori.health").get("required"));
        // AUD-3: no action without the audit log, and checkpoints kept outside the database, under the container's data
        assertEquals("audit", configuration("dev.mamori.events").get("required.listeners"));
        String sink = String.valueOf(configuration("dev.mamori.audit").get("sink.file"));
        assertTrue(sink, sink.endsWith("mamori/audit/checkpoints.jsonl") && !sink.contains("${"));
        assertTrue(Files.isRegularFile(data.resolve("mamori/db/mamori.mv.db")));
        assertTrue(Files.isRegularFile(data.resolve("mamori/db/mamori-pii.mv.db")));
        // TLS 1.2 and 1.3 only, as in the distribution (CRY-1)
        assertEquals("TLSv1.2,TLSv1.3", webConfig().get("org.ops4j.pax.web.ssl.protocols.included"));
        // a stock Karaf's JVM lacks the JDK's switch: Jetty refuses a client's TLS renegotiation itself (CRY-1)
        assertEquals(null, System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation"));
        assertEquals("false", String.valueOf(webConfig().get("org.ops4j.pax.web.ssl.renegotiationAllowed")));
        assertEquals("0", String.valueOf(webConfig().get("org.ops4j.pax.web.ssl.renegotiationLimit")));
    }

    @Test
    public void cry1_plainHttpDoesNotReachTheApi() throws Exception {
        int httpPort = Integer.parseInt(webConfig().get("org.osgi.service.http.port").toString());
        // belt: the connector the container had switched on is off, nothing listens on its port
        assertEquals("false", String.valueOf(webConfig().get("org.osgi.service.http.enabled")));
        assertRefused(httpPort);

        // braces: with plain HTTP left to the owner (a TLS-terminating proxy in front), the API still refuses it
        Dictionary<String, Object> tlsBefore = configuration("dev.mamori.tls");
        Dictionary<String, Object> restBefore = configuration("dev.mamori.rest");
        try {
            update("dev.mamori.tls", tlsBefore, "plain.http", "true");
            update("org.ops4j.pax.web", webConfig(), "org.osgi.service.http.enabled", "true");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI health = URI.create("http://localhost:" + httpPort + "/api/v1/health");
            // Pax Web restarts its server for the new connector and registers the servlets again: until the
            // API's is back, Jetty answers for it: a 404 outside the API, a 503 "restarting" under it
            HttpResponse<String> refused = Wait.until("plain HTTP listening, API servlet registered", Duration.ofSeconds(60), () -> {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 404 || r.statusCode() == 503 && r.body().contains("restarting") ? null : r;
            });
            assertTlsRequired(refused);
            assertTlsRequired(plain.send(HttpRequest.newBuilder(health).header("X-Forwarded-Proto", "https").build(),
                    HttpResponse.BodyHandlers.ofString()));

            // a trusted proxy (this test, on loopback) that received the request over HTTPS
            update("dev.mamori.rest", restBefore, "tls.proxies", "127.0.0.1,::1");
            HttpResponse<String> proxied = Wait.until("trusted proxy", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(health).header("X-Forwarded-Proto", "https").build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? r : null;
            });
            assertTrue(proxied.body(), proxied.body().contains("\"ready\":true"));
            assertTlsRequired(plain.send(HttpRequest.newBuilder(health).header("X-Forwarded-Proto", "http").build(),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            configAdmin.getConfiguration("dev.mamori.rest", null).update(restBefore);
            configAdmin.getConfiguration("dev.mamori.tls", null).update(tlsBefore);
        }
        // plain.http back to false: the platform switches the connector off again
        Wait.until("plain HTTP off again", Duration.ofSeconds(60), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("localhost", httpPort), 1000);
                return null;
            } catch (ConnectException e) {
                return Boolean.TRUE;
            }
        });
        assertEquals("false", String.valueOf(webConfig().get("org.osgi.service.http.enabled")));
    }

    @Test
    public void ops6_operatorShellExposureIsReported() throws Exception {
        Dictionary<String, Object> shell = configuration("org.apache.karaf.shell");
        Path users = Paths.get(System.getProperty("karaf.etc"), "users.properties");
        byte[] realm = Files.readAllBytes(users);
        try {
            // stock Karaf: SSH on every address
            update("org.apache.karaf.shell", shell, "sshHost", "0.0.0.0");
            String exposed = Wait.until("ssh finding", Duration.ofSeconds(30),
                    () -> detail().contains("ssh beyond loopback") ? detail() : null);
            assertFalse(exposed, exposed.contains("stock karaf account"));
            assertFalse("no address or port in the public detail: " + exposed, exposed.contains("0.0.0.0"));
            String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
            assertTrue(log, log.contains("WARN") && log.contains("OPERATOR SHELL EXPOSED (OPS-6): the SSH server listens on 0.0.0.0"));

            update("org.apache.karaf.shell", configuration("org.apache.karaf.shell"), "sshHost", "127.0.0.1");
            assertEquals("ssh on loopback only", Wait.until("loopback", Duration.ofSeconds(30),
                    () -> detail().equals("ssh on loopback only") ? detail() : null));

            // a change at runtime is logged by itself, without anyone asking for the health report
            String warning = "OPERATOR SHELL EXPOSED (OPS-6): the SSH server listens on 0.0.0.0";
            int before = occurrences(warning);
            update("org.apache.karaf.shell", configuration("org.apache.karaf.shell"), "sshHost", "0.0.0.0");
            Wait.until("WARN line for the runtime change", Duration.ofSeconds(30), () -> occurrences(warning) == before + 1);
            update("org.apache.karaf.shell", configuration("org.apache.karaf.shell"), "sshHost", "127.0.0.1");
            assertEquals("ssh on loopback only", Wait.until("loopback again", Duration.ofSeconds(30),
                    () -> detail().equals("ssh on loopback only") ? detail() : null));

            // Karaf's stock account, as its users.properties has it commented out
            Files.writeString(users, "karaf = karaf,_g_:admingroup\n", StandardCharsets.ISO_8859_1,
                    java.nio.file.StandardOpenOption.APPEND);
            assertEquals("exposed: stock karaf account (see the server log)", Wait.until("stock account finding",
                    Duration.ofSeconds(30), () -> detail().contains("stock karaf account") ? detail() : null));
            String log2 = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
            assertTrue(log2, log2.contains("Karaf's stock account 'karaf' is defined in"));
        } finally {
            Files.write(users, realm);
        }
        assertEquals("ssh on loopback only", Wait.until("no finding", Duration.ofSeconds(30),
                () -> detail().equals("ssh on loopback only") ? detail() : null));
        // health stays 200 throughout: exposure is a finding for the owner, not a reason to stop serving
        assertEquals(200, https.get("/api/v1/health").statusCode());
    }

    @Test
    public void ops6_iam7_theOperatorAccountWorksInAStockRealm() throws Exception {
        // the stock realm kept clear text: switched to bcrypt, so the operator's hash is checked at all
        Dictionary<String, Object> jaas = configuration("org.apache.karaf.jaas");
        assertEquals("true", String.valueOf(jaas.get("encryption.enabled")));
        assertEquals("bcrypt", String.valueOf(jaas.get("encryption.algorithm")));
        String users = Files.readString(Paths.get(System.getProperty("karaf.etc"), "users.properties"));
        assertTrue(users, users.contains("_g_\\:operators = group,"));
        assertTrue(users, users.contains("admin = {CRYPT}"));
        String password = Files.readString(Paths.get(System.getProperty("karaf.data"), "mamori", "initial-operator-password")).trim();
        assertFalse("the password is in the realm only as a hash", users.contains(password));

        Subject subject = login("admin", password);
        List<String> roles = new ArrayList<>();
        subject.getPrincipals(RolePrincipal.class).forEach(p -> roles.add(p.getName()));
        assertTrue(roles.toString(), roles.containsAll(List.of("operator", "ssh")));
        try {
            login("admin", password + "x");
            fail("a wrong password logged in");
        } catch (javax.security.auth.login.LoginException expected) {
            // refused
        }
    }

    @Test
    public void ops6_ext1_shellCommandsWorkWithTheFeaturesCommandAcl() throws Exception {
        String slug = "stock-" + UUID.randomUUID().toString().substring(0, 8);
        assertTrue(execute("mamori:tenant-create --plan trial " + slug + " \"Stock KK\"", "operator", "ssh")
                .contains("Created tenant " + slug));
        String list = execute("mamori:tenant-list", "operator", "ssh");
        assertTrue(list, list.contains(slug) && list.contains("Stock KK"));
        // the command ACL the feature ships: a viewer does not even see the command
        try {
            execute("mamori:tenant-list", "viewer", "ssh");
            fail("a viewer ran mamori:tenant-list");
        } catch (Exception refused) {
            assertEquals(refused.toString(), "org.apache.felix.gogo.runtime.CommandNotFoundException", refused.getClass().getName());
        }
    }

    /**
     * SEC-2, OPS-6 (issue #14, F1), in a stock Karaf whose owner set the compulsory roles (the README's
     * one step): Mamori's operator - its Karaf-realm account holds operator and ssh - runs mamori:*
     * commands and nothing else Gogo offers, while the owner's own admin keeps every right. An ACL that
     * opens a command to operators is reported, and Mamori's shell realm then lets nobody in.
     */
    @Test
    public void sec2_ops6_mamorisOperatorRunsMamoriCommandsOnly_theOwnersAdminKeepsHisRights() throws Exception {
        Path proof = Paths.get(System.getProperty("karaf.data"), "rce-proof-" + UUID.randomUUID());
        String shellCfg = Paths.get(System.getProperty("karaf.etc"), "org.apache.karaf.shell.cfg").toString();
        for (String attack : List.of(
                "rt = ((($.context) getBundle 0) loadClass \"java.lang.Runtime\") ; ($rt getRuntime) exec \"touch " + proof + "\"",
                "cat " + shellCfg,
                "config:list \"(service.pid=org.ops4j.pax.web)\"",
                "shell:exec touch " + proof,
                "mamori:tenant-list > " + proof,
                "bundle:list",
                "jaas:realm-list")) {
            try {
                String out = execute(attack, "operator", "ssh");
                fail("the operator ran " + attack + ": " + out);
            } catch (Exception refused) {
                assertTrue(attack + " -> " + refused, refused instanceof SecurityException
                        || "org.apache.felix.gogo.runtime.CommandNotFoundException".equals(refused.getClass().getName()));
            }
        }
        assertFalse(Files.exists(proof));
        assertTrue(execute("mamori:tenant-list", "operator", "ssh").contains("Slug"));
        // the owner's admin (Karaf's admingroup) keeps his rights, method calls and files included
        String[] owner = {"admin", "manager", "viewer", "systembundles", "ssh"};
        assertTrue(execute("echo ((($.context) getBundle 0) getSymbolicName)", owner).contains("org.apache.felix.framework"));
        assertTrue(execute("cat " + shellCfg, owner).contains("sshPort"));
        assertEquals("locked down", check("shell-lockdown"));
        assertEquals(2, javax.security.auth.login.Configuration.getConfiguration().getAppConfigurationEntry("mamori").length);

        Dictionary<String, Object> acl = configuration("org.apache.karaf.command.acl.shell");
        try {
            update("org.apache.karaf.command.acl.shell", acl, "cat", "admin, operator");
            assertEquals("not locked down (see the server log)", Wait.until("the finding", Duration.ofSeconds(30),
                    () -> check("shell-lockdown").startsWith("not") ? check("shell-lockdown") : null));
            assertTrue(occurrences("SHELL NOT LOCKED DOWN (SEC-2, OPS-6): org.apache.karaf.command.acl.shell grants operator 'cat'") > 0);
            // the realm keeps only Mamori's own module, and it refuses before any secret is checked
            assertEquals(1, javax.security.auth.login.Configuration.getConfiguration().getAppConfigurationEntry("mamori").length);
            try {
                new LoginContext("mamori", new Subject(), callbacks -> {
                    for (javax.security.auth.callback.Callback c : callbacks) {
                        if (c instanceof NameCallback) {
                            ((NameCallback) c).setName("admin");
                        } else if (c instanceof PasswordCallback) {
                            ((PasswordCallback) c).setPassword("Any-Password-1 123456".toCharArray());
                        }
                    }
                }).login();
                fail("the mamori realm let someone in while the shell is not locked down");
            } catch (javax.security.auth.login.LoginException refused) {
                assertEquals("The shell is not locked down; see the server log.", refused.getMessage());
            }
        } finally {
            configAdmin.getConfiguration("org.apache.karaf.command.acl.shell", null).update(acl);
        }
        assertEquals("locked down", Wait.until("locked down again", Duration.ofSeconds(30),
                () -> "locked down".equals(check("shell-lockdown")) ? "locked down" : null));
    }

    @Test
    public void cry4_postgresqlShipsItsSwitchAsTemplates_neverAsLiveConfiguration() throws Exception {
        Path templates = Paths.get(System.getProperty("karaf.etc"), "postgresql");
        execute("feature:install mamori-postgresql", "admin");
        try {
            for (String ds : List.of("mamori", "mamori-pii")) {
                String template = Files.readString(templates.resolve("org.ops4j.datasource-" + ds + ".cfg"));
                assertTrue(template, template.contains("osgi.jdbc.driver.class = org.postgresql.Driver"));
                assertTrue(template, template.contains("dataSourceName = " + ds + "\n"));
                // installing the driver switched nothing: the live DataSource is still the embedded one
                String live = Files.readString(Paths.get(System.getProperty("karaf.etc"), "org.ops4j.datasource-" + ds + ".cfg"));
                assertTrue(live, live.contains("osgi.jdbc.driver.class = org.h2.Driver"));
            }
            // (the driver bundle may make Karaf refresh pax-jdbc: the DataSources come back as they were)
            Wait.until("health 200 on H2", Duration.ofSeconds(60), () -> https.get("/api/v1/health").statusCode() == 200);
        } finally {
            execute("feature:uninstall mamori-postgresql", "admin");
        }
    }

    /** Sorts last: the others normally share one installation. */
    @Test
    public void zz_ext1_uninstallLeavesNoMamoriServiceBehind() throws Exception {
        assertFalse(mamoriServices().isEmpty());
        execute("feature:uninstall mamori", "admin");
        List<String> bundles = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("dev.mamori")) {
                bundles.add(b.getSymbolicName() + " " + b.getState());
            }
        }
        assertEquals("Mamori bundles left", List.of(), bundles);
        assertEquals("Mamori services left", List.of(), mamoriServices());
        for (Bundle b : bundleContext.getBundles()) {
            assertFalse(b.getSymbolicName(), String.valueOf(b.getSymbolicName()).startsWith("org.eclipse.persistence")
                    || String.valueOf(b.getSymbolicName()).startsWith("org.apache.cxf"));
        }
        try {
            HttpResponse<String> r = https.get("/api/v1/health");
            fail("the API still answers: " + r.statusCode() + " " + r.body());
        } catch (IOException gone) {
            // the HTTP service went with the features that needed it
        }
        https = null;
    }

    /** @return every service registered by a Mamori bundle, or offering a Mamori interface */
    private List<String> mamoriServices() throws Exception {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = bundleContext.getAllServiceReferences(null, null);
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Bundle owner = ref.getBundle();
            String[] classes = (String[]) ref.getProperty("objectClass");
            boolean ours = owner != null && String.valueOf(owner.getSymbolicName()).startsWith("dev.mamori");
            for (String c : classes) {
                ours |= c.startsWith("dev.mamori.");
            }
            if (ours) {
                out.add(String.join(",", classes) + " from " + (owner == null ? "?" : owner.getSymbolicName()));
            }
        }
        return out;
    }

    /** @return how often the container's log holds the text */
    private static int occurrences(String text) throws IOException {
        String log = Files.readString(Paths.get(System.getProperty("karaf.data"), "log", "karaf.log"));
        int n = 0;
        for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    private String detail() throws Exception {
        return check("operator-shell");
    }

    /** @return the public detail of one health check, or "" */
    private String check(String name) throws Exception {
        String body = https.get("/api/v1/health").body();
        int at = body.indexOf("\"" + name + "\"");
        if (at < 0) {
            return "";
        }
        int d = body.indexOf("\"detail\":\"", at);
        return body.substring(d + 10, body.indexOf('"', d + 10));
    }

    private static void assertTlsRequired(HttpResponse<String> r) {
        assertEquals(r.body(), 403, r.statusCode());
        assertTrue(r.headers().toString(), r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body(), r.body().contains("urn:mamori:problem:tls-required"));
        assertFalse(r.body(), r.body().contains("\"ready\""));
    }

    private static void assertRefused(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 2000);
            fail("something listens on the plain HTTP port " + port);
        } catch (ConnectException expected) {
            // nothing listens
        }
    }

    private Subject login(String user, String password) throws Exception {
        Subject subject = new Subject();
        LoginContext login = new LoginContext("karaf", subject, callbacks -> {
            for (javax.security.auth.callback.Callback c : callbacks) {
                if (c instanceof NameCallback) {
                    ((NameCallback) c).setName(user);
                } else if (c instanceof PasswordCallback) {
                    ((PasswordCallback) c).setPassword(password.toCharArray());
                }
            }
        });
        login.login();
        return subject;
    }

    private Dictionary<String, Object> webConfig() throws Exception {
        return configuration("org.ops4j.pax.web");
    }

    private Dictionary<String, Object> configuration(String pid) throws Exception {
        Dictionary<String, Object> p = configAdmin.getConfiguration(pid, null).getProperties();
        return p == null ? new Hashtable<>() : p;
    }

    /** Sets one property of a configuration, keeping the others. */
    private void update(String pid, Dictionary<String, Object> before, String key, Object value) throws Exception {
        Hashtable<String, Object> next = new Hashtable<>();
        for (String k : Collections.list(before.keys())) {
            next.put(k, before.get(k));
        }
        next.put(key, value);
        configAdmin.getConfiguration(pid, null).update(next);
    }

    private String execute(String command, String... roles) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("it-owner"));
        for (String role : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
