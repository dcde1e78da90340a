package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;
import dev.mamori.tenant.TenantState;

/**
 * What only the running distribution shows: features resolve, HTTPS REST base, shell commands
 * under their ACL, and tenant isolation on the real database. Subclasses choose the database.
 */
public abstract class MamoriContainerTests {
    private static final String[] FEATURES = {"mamori", "mamori-platform", "mamori-tenant", "mamori-vault", "mamori-rest",
        "mamori-shell"};
    /** Platform work in the tests: the platform itself acts, as a job would. */
    static final dev.mamori.platform.context.ExecutionContext SYSTEM = dev.mamori.platform.context.ExecutionContext.system("it");
    static final dev.mamori.platform.context.PlatformPurpose IT_PURPOSE = dev.mamori.platform.context.PlatformPurpose.of(
            "it.test", "integration test");
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    @Inject
    protected BundleContext bundleContext;
    @Inject
    protected FeaturesService features;
    @Inject
    protected TenantService tenants;
    @Inject
    protected TenantContext context;
    @Inject
    protected TenantSettingsService settings;
    @Inject
    protected SessionFactory sessionFactory;
    @Inject
    protected ConfigurationAdmin configAdmin;
    @Inject
    protected dev.mamori.vault.VaultService vault;
    @Inject
    protected dev.mamori.platform.job.JobService jobs;

    private static Https https;
    private static ServiceRegistration<?> probe;

    @Before
    public void connect() throws Exception {
        if (https == null) {
            String password = Wait.until("HTTPS configuration", Duration.ofSeconds(30), () -> {
                Dictionary<String, Object> p = configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties();
                Object pw = p == null ? null : p.get("org.ops4j.pax.web.ssl.keystore.password");
                return pw == null ? null : pw.toString();
            });
            Path keystore = Paths.get(System.getProperty("karaf.etc"), "mamori-tls.p12");
            https = Https.trusting(keystore, password.toCharArray(), "https://localhost:8443");
            Wait.until("health 200", Duration.ofSeconds(60), () -> https.get("/api/v1/health").statusCode() == 200);
        }
        if (probe == null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("osgi.jaxrs.resource", "true");
            probe = bundleContext.registerService(ProbeResource.class, new ProbeResource(), props);
            Wait.until("probe resource", Duration.ofSeconds(30), () -> https.get("/api/v1/it-probe").statusCode() == 200);
        }
    }

    @Test
    public void ext1_everyMamoriFeatureIsInstalled() throws Exception {
        for (String name : FEATURES) {
            assertTrue(name + " installed", features.isInstalled(features.getFeature(name)));
        }
    }

    /**
     * A bundle built like a third-party plugin (itests/plugin) plugs a resource, a filter in the
     * authentication slot, an exception mapper, a health check, a shell command, a migration and a job
     * into the running server without any change to a Mamori bundle; uninstalled, every trace is gone.
     * Meanwhile: a required slot left empty closes the whole API (503), a required health check that
     * is missing makes the server not ready.
     */
    @Test
    public void ext1_aPluginPlugsIntoEverySeamAndLeavesNoTrace() throws Exception {
        org.osgi.framework.Bundle plugin = bundleContext.installBundle(
                new java.io.File(System.getProperty("mamori.it.plugin")).toURI().toString());
        Dictionary<String, Object> restBefore = config("dev.mamori.rest");
        Dictionary<String, Object> healthBefore = config("dev.mamori.health");
        try {
            plugin.start();
            HttpResponse<String> anonymous = Wait.until("the plugin's resource", Duration.ofSeconds(30), () -> {
                HttpResponse<String> r = https.get("/api/v1/it-plugin");
                return r.statusCode() == 200 ? r : null;
            });
            assertTrue(anonymous.body(), anonymous.body().replace(" ", "").contains("\"principal\":\"anonymous\""));
            // the slot filter authenticates: the jobs API, closed to anonymous callers, opens to the operator it names
            assertProblem(https.get("/api/v1/jobs"), 401, "unauthenticated");
            HttpResponse<String> who = https.send(request("/api/v1/it-plugin").header("X-It-Operator", "alice").GET());
            assertTrue(who.body(), who.body().replace(" ", "").contains("\"principal\":\"OPERATOR:alice\""));
            assertTrue(who.body(), who.body().replace(" ", "").contains("\"clientIp\":\"127.0.0.1\""));
            assertEquals(200, https.send(request("/api/v1/jobs").header("X-It-Operator", "alice").GET()).statusCode());
            // the plugin's own exception mapper answers for its own error
            HttpResponse<String> refused = https.send(request("/api/v1/it-plugin").header("X-It-Refuse", "1").GET());
            assertEquals(refused.body(), 418, refused.statusCode());
            assertTrue(refused.body(), refused.body().contains("urn:mamori:problem:it-plugin-refused"));
            // its health check, its command, its schema, its job
            assertTrue(https.get("/api/v1/health").body().contains("\"it-plugin\""));
            assertTrue(operator("mamori:it-plugin-hello").contains("hello OPERATOR:it-operator via SHELL"));
            Wait.until("the plugin's schema", Duration.ofSeconds(30), () -> !bundleContext.getServiceReferences(
                    dev.mamori.platform.db.SchemaReady.class, "(mamori.schema=it-plugin)").isEmpty());
            dev.mamori.platform.job.JobInfo job = SYSTEM.call(() -> jobs.submit(
                    dev.mamori.platform.job.JobRequest.of("it.plugin.notes").parameters("it")));
            dev.mamori.platform.job.JobInfo done = Wait.until("the plugin's job", Duration.ofSeconds(60), () -> {
                dev.mamori.platform.job.JobInfo j = jobs.find(job.id()).orElseThrow();
                return j.state() == dev.mamori.platform.job.JobState.DONE ? j : null;
            });
            assertEquals(3, done.done());
            try (java.sql.Connection c = dataSource("mamori").getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM it_plugin_note WHERE id LIKE '"
                            + job.id().substring(0, 30) + "%'")) {
                rs.next();
                assertEquals("each step wrote its note once", 3, rs.getInt(1));
            }
            String list = operator("mamori:job-list --type it.plugin.notes --no-format");
            assertTrue(list, list.contains(job.id()) && list.contains("DONE") && list.contains("system:it"));
            // required parts, while present: the API serves, the server is ready
            update("dev.mamori.rest", restBefore, "required.slots", new String[] {"authentication"});
            update("dev.mamori.health", healthBefore, "required", new String[] {"database", "pii-database", "schema", "vault", "it-plugin"});
            Wait.until("the API with its required slot filled", Duration.ofSeconds(30),
                    () -> https.get("/api/v1/health").statusCode() == 200 && https.get("/api/v1/it-plugin").statusCode() == 200);
        } finally {
            plugin.uninstall();
        }
        // the required authentication slot is empty now: every API path answers 503, never unguarded
        Wait.until("503 on every API path", Duration.ofSeconds(30), () -> https.get("/api/v1/health").statusCode() == 503);
        for (String path : List.of("/api/v1/health", "/api/v1/it-plugin", "/api/v1/no-such-thing", "/api/v1/jobs", "/api/v1/openapi.json")) {
            HttpResponse<String> r = https.get(path);
            assertProblem(r, 503, "required-slot-empty");
            assertTrue(path, r.headers().firstValue("Retry-After").isPresent());
            assertTrue(r.body(), r.body().contains("authentication"));
        }
        update("dev.mamori.rest", restBefore, "required.slots", null);
        // the required health check is missing: the server is not ready, and says why
        HttpResponse<String> notReady = Wait.until("not ready without the required check", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = https.get("/api/v1/health");
            return r.statusCode() == 503 && r.body().contains("it-plugin") ? r : null;
        });
        assertTrue(notReady.body(), notReady.body().replace(" ", "").contains("\"it-plugin\":{\"status\":\"DOWN\",\"detail\":\"notregistered\""));
        update("dev.mamori.health", healthBefore, "required", null);
        Wait.until("ready again", Duration.ofSeconds(30), () -> https.get("/api/v1/health").statusCode() == 200);
        // every trace of the plugin is gone: resource, command, schema service, job handler, health check
        Wait.until("the plugin's resource gone", Duration.ofSeconds(30), () -> https.get("/api/v1/it-plugin").statusCode() == 404);
        assertFalse(https.get("/api/v1/health").body().contains("it-plugin"));
        String gone = operatorError("mamori:it-plugin-hello");
        assertTrue(gone, gone.contains("Command not found"));
        assertTrue(bundleContext.getServiceReferences(dev.mamori.platform.db.SchemaReady.class, "(mamori.schema=it-plugin)").isEmpty());
        assertTrue(bundleContext.getServiceReferences(dev.mamori.platform.job.JobHandler.class,
                "(mamori.job.type=it.plugin.notes)").isEmpty());
        assertEquals(0, java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.itests.plugin".equals(b.getSymbolicName())).count());
    }

    private Dictionary<String, Object> config(String pid) throws Exception {
        Dictionary<String, Object> p = configAdmin.getConfiguration(pid, null).getProperties();
        return p == null ? new Hashtable<>() : p;
    }

    /** Sets one property of a configuration (null: back to what it was), keeping the others. */
    private void update(String pid, Dictionary<String, Object> before, String key, Object value) throws Exception {
        Hashtable<String, Object> next = new Hashtable<>();
        for (String k : java.util.Collections.list(before.keys())) {
            next.put(k, before.get(k));
        }
        if (value != null) {
            next.put(key, value);
        }
        configAdmin.getConfiguration(pid, null).update(next);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(java.net.URI.create(https.base() + path));
    }

    @Test
    public void health_reportsLiveAndReadyWithBothDataSources() throws Exception {
        HttpResponse<String> r = https.get("/api/v1/health");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String body = r.body().replace(" ", "");
        assertTrue(body, body.contains("\"ready\":true"));
        assertTrue(body, body.contains("\"database\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"pii-database\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"vault\":{\"status\":\"UP\""));
        assertTrue(body, body.contains("\"schema\":{\"status\":\"UP\""));
    }

    @Test
    public void sec9_securityHeadersOnEveryKindOfResponse() throws Exception {
        for (String path : List.of("/api/v1/health", "/api/v1/no-such-thing", "/no-such-thing", "/api/v1/it-probe/fail")) {
            HttpResponse<String> r = https.get(path);
            SECURITY_HEADERS.forEach((k, v) -> assertEquals(path + " " + k, v, r.headers().firstValue(k).orElse(null)));
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(path + " CSP " + csp, csp.contains("frame-ancestors 'none'"));
            assertTrue(path + " HSTS", r.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
            assertTrue(path + " request id", r.headers().firstValue("X-Request-Id").isPresent());
        }
    }

    @Test
    public void unknownPaths_are404ProblemJson() throws Exception {
        for (String path : List.of("/api/v1/no-such-thing", "/no-such-thing", "/api/other", "/api/v1/health/x")) {
            HttpResponse<String> r = https.get(path);
            assertProblem(r, 404, "not-found");
        }
        // CXF's WADL and service list stay hidden: the API describes itself only through openapi.json
        assertProblem(https.get("/api/v1/health?_wadl"), 404, "not-found");
    }

    @Test
    public void malformedJson_is400ProblemJson() throws Exception {
        HttpResponse<String> r = https.post("/api/v1/it-probe", "application/json", HttpRequest.BodyPublishers.ofString("{\"a\": "));
        assertProblem(r, 400, "malformed-json");
        assertFalse(r.body(), r.body().contains("com.fasterxml"));
    }

    @Test
    public void sec10_oversizedBody_is413_withLengthAndChunked() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        assertProblem(https.post("/api/v1/it-probe", "application/json", HttpRequest.BodyPublishers.ofByteArray(big)),
                413, "payload-too-large");
        HttpResponse<String> chunked = https.post("/api/v1/it-probe", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertProblem(chunked, 413, "payload-too-large");
        // just under the limit is accepted
        assertEquals(200, https.post("/api/v1/it-probe", "application/json", HttpRequest.BodyPublishers.ofString("{\"k\":1}")).statusCode());
    }

    @Test
    public void wrongMediaType_is415ProblemJson() throws Exception {
        assertProblem(https.post("/api/v1/it-probe", "text/plain", HttpRequest.BodyPublishers.ofString("hello")),
                415, "unsupported-media-type");
    }

    @Test
    public void serverFault_is500WithRequestIdAndNothingInternal() throws Exception {
        HttpResponse<String> r = https.get("/api/v1/it-probe/fail");
        assertProblem(r, 500, "internal-error");
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(r.body(), r.body().contains("\"requestId\" : \"" + id + "\"") || r.body().contains("\"requestId\":\"" + id + "\""));
        assertFalse(r.body(), r.body().contains(ProbeResource.SECRET));
        assertFalse(r.body(), r.body().contains("Exception"));
        assertFalse(r.body(), r.body().contains("at com."));
    }

    @Test
    public void sec7_requestIdHeaderCannotBeForged() throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(java.net.URI.create("https://localhost:8443/api/v1/health"))
                .header("X-Request-Id", "abc<script>x").GET());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertFalse(id.contains("<"));
        HttpResponse<String> ok = https.send(HttpRequest.newBuilder(java.net.URI.create("https://localhost:8443/api/v1/health"))
                .header("X-Request-Id", "trace-12345678").GET());
        assertEquals("trace-12345678", ok.headers().firstValue("X-Request-Id").orElse(null));
    }

    @Test
    public void openApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> r = https.get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"openapi\""));
        assertTrue(r.body().contains("\"/health\""));
        assertTrue(r.body().contains("getHealth"));
    }

    @Test
    public void shell_tenantLifecycleEndToEnd() throws Exception {
        String slug = "shell-" + shortId();
        String created = operator("mamori:tenant-create --trial-ends 2099-12-31 " + slug + " \"Shell Test KK\"");
        assertTrue(created, created.contains("Created tenant " + slug));
        String list = operator("mamori:tenant-list --no-format");
        assertTrue(list, list.contains(slug) && list.contains("TRIAL") && list.contains("2099-12-31"));
        String show = operator("mamori:tenant-show " + slug);
        assertTrue(show, show.contains("Shell Test KK") && show.contains("+09:00"));
        assertTrue(operator("mamori:tenant-activate --plan standard --from 2026-01-01 " + slug).contains("ACTIVE"));
        assertTrue(operator("mamori:tenant-expire " + slug).contains("EXPIRED"));
        assertTrue(operator("mamori:tenant-activate --plan standard " + slug).contains("ACTIVE"));
        assertTrue(operator("mamori:tenant-terminate " + slug + " 2026-12-31").contains("terminated on 2026-12-31"));
        assertEquals(TenantState.EXPIRED, tenants.get(slug).state());
        String badDate = operatorError("mamori:tenant-terminate " + slug + " 31/12/2026");
        assertTrue(badDate, badDate.contains("invalid-request: date must be a date like 2026-12-31"));
        String refused = operatorError("mamori:tenant-delete --confirm wrong " + slug);
        assertTrue(refused, refused.contains("confirmation must repeat the slug"));
        assertEquals(TenantState.EXPIRED, tenants.get(slug).state());
        assertTrue(operator("mamori:tenant-delete --confirm " + slug + " " + slug).contains("DELETED"));
        String illegal = operatorError("mamori:tenant-activate --plan standard " + slug);
        assertTrue(illegal, illegal.contains("cannot go from DELETED to ACTIVE"));
        String unknown = operatorError("mamori:tenant-show no-such-tenant");
        assertTrue(unknown, unknown.contains("tenant-not-found: No tenant 'no-such-tenant'"));
        // operators still see a DELETED tenant; tenant-facing calls answer as if it did not exist
        assertTrue(operator("mamori:tenant-show " + slug).contains("DELETED"));
        try {
            context.callAs(slug, () -> null);
            fail("a DELETED tenant was bound for its users");
        } catch (dev.mamori.tenant.TenantNotFoundException expected) {
            assertEquals("No tenant '" + slug + "'.", expected.getMessage());
        }
    }

    @Test
    public void ops6_shellCommandsNeedTheOperatorRole() throws Exception {
        String slug = "acl-" + shortId();
        try {
            execute("mamori:tenant-create " + slug + " Acl", "viewer");
            fail("a viewer must not create tenants");
        } catch (Exception expected) {
            // Karaf's command ACL refuses before the command runs
        }
        assertFalse(tenants.find(slug).isPresent());
    }

    @Test
    public void ten1_settingsOfOneTenantAreInvisibleUnchangeableUndeletableForAnother() throws Exception {
        Tenant a = tenants.create(NewTenant.builder("iso-a-" + shortId(), "Isolation A").build());
        Tenant b = tenants.create(NewTenant.builder("iso-b-" + shortId(), "Isolation B").build());
        TenantSetting secret = context.callAs(a.id(), () -> settings.put("payroll.bank", "A-secret"));

        context.runAs(b.id(), () -> {
            assertFalse(settings.get("payroll.bank").isPresent());
            assertFalse(settings.getById(secret.id()).isPresent());
            assertTrue(settings.list().isEmpty());
            try {
                settings.update(secret.id(), "overwritten by B");
                fail("B changed A's setting");
            } catch (SettingNotFoundException expected) {
            }
            try {
                settings.delete(secret.id());
                fail("B deleted A's setting");
            } catch (SettingNotFoundException expected) {
            }
            settings.put("payroll.bank", "B-own");
            assertEquals(1, settings.deleteAll());
        });
        context.runAs(a.id(), () -> {
            assertEquals("A-secret", settings.get("payroll.bank").orElseThrow().value());
            assertEquals(1, settings.list().size());
        });
    }

    @Test
    public void ten1_noTenantContext_failsClosed() {
        try {
            settings.list();
            fail("tenant data without a context");
        } catch (NoTenantContextException expected) {
        }
        try {
            settings.put("k", "v");
            fail("tenant write without a context");
        } catch (NoTenantContextException expected) {
        }
    }

    @Test
    public void ten2_lockedTenantsGetNoData() {
        Tenant t = tenants.create(NewTenant.builder("lock-" + shortId(), "Locked").build());
        context.runAs(t.id(), () -> settings.put("k", "v"));
        tenants.expire(t.id());
        try {
            context.runAs(t.id(), settings::list);
            fail("an EXPIRED tenant's data was reachable");
        } catch (TenantNotAccessibleException expected) {
        }
        // platform work (retention, export) still reaches it, and says why
        assertEquals(1, (int) SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE, () -> settings.list().size())));
        tenants.delete(t.id(), t.slug());
        try {
            context.runAs(t.id(), settings::list);
            fail("a DELETED tenant's data was reachable");
        } catch (dev.mamori.tenant.TenantNotFoundException expected) {
            // users are told nothing: a DELETED tenant does not exist for them
        }
    }

    @Test
    public void cry2_vaultEncryptsPerTenantAndRefusesMovedBlobs() throws Exception {
        Tenant a = tenants.create(NewTenant.builder("vault-a-" + shortId(), "Vault A").build());
        Tenant b = tenants.create(NewTenant.builder("vault-b-" + shortId(), "Vault B").build());
        byte[] aad = ("records/" + a.id() + "/row-1/salary").getBytes(StandardCharsets.UTF_8);
        byte[] plain = "9,000,000 JPY".getBytes(StandardCharsets.UTF_8);
        byte[] blob = context.callAs(a.id(), () -> vault.encrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, plain, aad));
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains("9,000,000"));
        org.junit.Assert.assertArrayEquals(plain,
                context.callAs(a.id(), () -> vault.decrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, blob, aad)));
        try {
            context.callAs(b.id(), () -> vault.decrypt(b.id(), dev.mamori.vault.KeyPurpose.RECORDS, blob, aad));
            fail("tenant B decrypted tenant A's blob");
        } catch (dev.mamori.vault.DecryptionFailedException expected) {
        }
        try {
            vault.encrypt(a.id(), dev.mamori.vault.KeyPurpose.RECORDS, plain, aad);
            fail("the vault worked without a tenant context");
        } catch (NoTenantContextException expected) {
        }
        assertTrue(operator("mamori:vault-status").contains("UNSEALED"));

        // CRY-4, IAM-5: a person's name under that person's own key on the PII store; erasure destroys it
        byte[] name = context.callAs(a.id(), () -> vault.encryptPersonal(a.id(), "E1001", "山田 太郎".getBytes(StandardCharsets.UTF_8), aad));
        assertEquals("山田 太郎", new String(context.callAs(a.id(), () -> vault.decryptPersonal(a.id(), "E1001", name, aad)), StandardCharsets.UTF_8));
        assertTrue(context.callAs(a.id(), () -> vault.erasePerson(a.id(), "E1001", "E1001")));
        try {
            context.callAs(a.id(), () -> vault.decryptPersonal(a.id(), "E1001", name, aad));
            fail("an erased person's name decrypted");
        } catch (dev.mamori.vault.KeyDestroyedException expected) {
        }
    }

    @Test
    public void cry3_rotateAndShredThroughTheShell() throws Exception {
        java.util.List<dev.mamori.platform.event.MamoriEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceRegistration<dev.mamori.platform.event.MamoriEventListener> listener = bundleContext.registerService(
                dev.mamori.platform.event.MamoriEventListener.class, events::add, null);
        Tenant t = tenants.create(NewTenant.builder("shred-" + shortId(), "Shred KK").build());
        byte[] aad = ("records/" + t.id() + "/1").getBytes(StandardCharsets.UTF_8);
        byte[] v1 = context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, new byte[] {1}, aad));
        assertTrue(operator("mamori:vault-rotate-tenant " + t.slug()).contains("version 2"));
        byte[] v2 = context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, new byte[] {2}, aad));
        String master = operator("mamori:vault-rotate-master");
        assertTrue(master, master.contains("Master key is now kek-"));
        org.junit.Assert.assertArrayEquals(new byte[] {1},
                context.callAs(t.id(), () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v1, aad)));

        String refused = operatorError("mamori:vault-shred --confirm " + t.slug() + " " + t.slug());
        assertTrue(refused, refused.contains("only a DELETED tenant's keys can be shredded"));
        tenants.delete(t.id(), t.slug());
        String shredded = operator("mamori:vault-shred --confirm " + t.slug() + " " + t.slug());
        assertTrue(shredded, shredded.contains("2 data key(s) and 0 person key(s) destroyed"));
        assertTrue(shredded, shredded.contains("Key cut-off: master key kek-"));
        try {
            SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE,
                    () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v2, aad)));
            fail("shredded data decrypted");
        } catch (dev.mamori.vault.KeyDestroyedException expected) {
        } finally {
            listener.unregister();
        }
        // AUD-2/OPS-3: shell-driven key operations name the operator, from the execution context, never key material
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.type().equals(dev.mamori.vault.VaultEvents.DATA_KEY_ROTATED)
                && t.id().equals(e.tenantId().orElse(null)) && "it-operator".equals(e.principalId().orElse(null))
                && "SHELL".equals(e.channel().orElse(null))));
        assertTrue(events.toString(), events.stream().filter(e -> e.type().equals(dev.mamori.vault.VaultEvents.DATA_KEY_DESTROYED))
                .count() == 2);
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.type().equals(dev.mamori.platform.event.PlatformEvents.PLATFORM_ACCESS)
                && "it.test".equals(e.details().get("purpose"))));
        // CRY-5: the cut-off left one master key version; every earlier copy of the key tables is dead
        assertTrue(events.toString(), events.stream().anyMatch(e -> e.type().equals(dev.mamori.vault.VaultEvents.MASTER_KEY_DESTROYED)));
        assertEquals(1, keyProvider().kekIds().size());
    }

    private dev.mamori.vault.spi.KeyProvider keyProvider() {
        return bundleContext.getService(bundleContext.getServiceReference(dev.mamori.vault.spi.KeyProvider.class));
    }

    /** Holds RECORDS blobs in memory, as a data capability would in its tables; honours batch and cursor. */
    static final class MemoryRecords implements dev.mamori.vault.spi.ReEncryptionParticipant {
        final java.util.concurrent.ConcurrentSkipListMap<Integer, byte[]> rows = new java.util.concurrent.ConcurrentSkipListMap<>();
        final List<String> cursors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final String tenantId;

        MemoryRecords(String tenantId) {
            this.tenantId = tenantId;
        }

        static byte[] aad(String tenantId, int row) {
            return ("records/" + tenantId + "/" + row).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String name() {
            return "it-records";
        }

        @Override
        public boolean holds(dev.mamori.vault.KeyPurpose purpose) {
            return purpose == dev.mamori.vault.KeyPurpose.RECORDS;
        }

        @Override
        public dev.mamori.vault.spi.ReEncryptionBatch reEncrypt(String tenant, dev.mamori.vault.KeyPurpose purpose, String cursor,
                int batchSize, dev.mamori.vault.spi.ReEncryptor r) {
            cursors.add(String.valueOf(cursor));
            if (!tenant.equals(tenantId)) {
                return new dev.mamori.vault.spi.ReEncryptionBatch(null, 0);
            }
            int from = cursor == null ? Integer.MIN_VALUE : Integer.parseInt(cursor);
            int n = 0;
            int seen = 0;
            Integer last = null;
            for (Map.Entry<Integer, byte[]> e : rows.tailMap(from, false).entrySet()) {
                if (seen++ == batchSize) {
                    break;
                }
                if (!r.isCurrent(e.getValue())) {
                    rows.put(e.getKey(), r.reEncrypt(e.getValue(), aad(tenant, e.getKey())));
                    n++;
                }
                last = e.getKey();
            }
            return new dev.mamori.vault.spi.ReEncryptionBatch(last == null || rows.higherKey(last) == null ? null : last.toString(), n);
        }
    }

    @Test
    public void cry3_reEncryptionRetiresOldVersion_keysSurviveVaultRestart_noKeyMaterialInRows() throws Exception {
        Tenant t = tenants.create(NewTenant.builder("reenc-" + shortId(), "ReEnc KK").build());
        MemoryRecords store = new MemoryRecords(t.id());
        // more rows than one batch (dev.mamori.vault reencrypt.batch is 500 by default): 1,200 rows
        for (int i = 0; i < 1200; i++) {
            int row = i;
            store.rows.put(row, context.callAs(t.id(), () -> vault.encrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS,
                    new byte[] {(byte) row}, MemoryRecords.aad(t.id(), row))));
        }
        byte[] v1Copy = store.rows.get(0);
        context.callAs(t.id(), () -> vault.encryptPersonal(t.id(), "E7", "佐藤 花子".getBytes(StandardCharsets.UTF_8), MemoryRecords.aad(t.id(), -1)));
        assertTrue(operator("mamori:vault-rotate-tenant " + t.slug()).contains("version 2"));
        String badPurpose = operatorError("mamori:vault-reencrypt --purpose bogus " + t.slug());
        assertTrue(badPurpose, badPurpose.contains("Unknown key purpose 'bogus'"));
        ServiceRegistration<dev.mamori.vault.spi.ReEncryptionParticipant> reg = bundleContext.registerService(
                dev.mamori.vault.spi.ReEncryptionParticipant.class, store, null);
        dev.mamori.vault.VaultAdmin admin = bundleContext.getService(bundleContext.getServiceReference(dev.mamori.vault.VaultAdmin.class));
        try {
            String started = operator("mamori:vault-reencrypt " + t.slug());
            assertTrue(started, started.contains("to version 2 through [it-records]"));
            dev.mamori.vault.ReEncryptionJob done = Wait.until("re-encryption finished", Duration.ofSeconds(60), () ->
                    admin.reEncryptionJobs().stream().filter(j -> j.tenantId().equals(t.id()) && j.state() != dev.mamori.vault.ReEncryptionJob.State.RUNNING)
                            .findFirst().orElse(null));
            assertEquals(done.detail(), dev.mamori.vault.ReEncryptionJob.State.DONE, done.state());
            assertEquals(1200, done.reEncrypted());
            assertEquals(List.of("null", "499", "999"), store.cursors);
            assertTrue(operator("mamori:vault-jobs").contains("DONE"));
            assertTrue(operator("mamori:vault-participants").contains("it-records"));
            assertEquals(dev.mamori.vault.KeyInfo.State.ARCHIVED, admin.keys(t.id()).get(0).state());
        } finally {
            reg.unregister();
        }
        // a blob as an older backup holds it still opens with the archived version
        org.junit.Assert.assertArrayEquals(new byte[] {0}, context.callAs(t.id(),
                () -> vault.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, v1Copy, MemoryRecords.aad(t.id(), 0))));
        // the component is remembered: a new re-encryption waits for it
        try {
            String missing = operatorError("mamori:vault-reencrypt " + t.slug());
            assertTrue(missing, missing.contains("it-records"));
        } finally {
            assertTrue(operator("mamori:vault-participants --forget it-records").contains("no longer wait"));
        }

        // no key material in clear anywhere the vault writes: every row of its tables, and the escrow;
        // a second tenant's keys too
        Tenant other = tenants.create(NewTenant.builder("reenc-b-" + shortId(), "ReEnc B KK").build());
        context.callAs(other.id(), () -> vault.encrypt(other.id(), dev.mamori.vault.KeyPurpose.ATTACHMENTS, new byte[] {9},
                MemoryRecords.aad(other.id(), 0)));
        String cut = operator("mamori:vault-cutoff");
        assertTrue(cut, cut.contains("Key escrow written to "));
        Path escrow = Paths.get(cut.substring(cut.indexOf("Key escrow written to ") + 22, cut.indexOf(": database backups")));
        StringBuilder everything = new StringBuilder(java.nio.file.Files.readString(escrow));
        List<byte[]> keys = new java.util.ArrayList<>();
        java.util.Set<String> owners = new java.util.HashSet<>();
        for (String[] table : new String[][] {{"mamori", "mamori_vault_data_key"}, {"mamori-pii", "mamori_vault_person_key"}}) {
            boolean data = table[1].equals("mamori_vault_data_key");
            String columns = data ? "kek_id, wrapped, tenant_id, purpose, key_id, version" : "kek_id, wrapped, tenant_id, person_id, key_id";
            try (java.sql.Connection c = dataSource(table[0]).getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT " + columns + " FROM " + table[1] + " WHERE wrapped IS NOT NULL")) {
                while (rs.next()) {
                    // a wrapped key opens only with what it is (tenant, purpose, key id, version), as the vault binds it
                    byte[] context = data ? aadOf("mamori data key v1", rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))
                            : aadOf("mamori person key v1", rs.getString(3), rs.getString(4), rs.getString(5));
                    keys.add(keyProvider().unwrap(new dev.mamori.vault.spi.WrappedKey(rs.getString(1),
                            java.util.Base64.getDecoder().decode(rs.getString(2))), context));
                    owners.add(rs.getString(3));
                }
            }
        }
        assertTrue("keys of this test's two tenants at least: " + owners, owners.contains(t.id()) && owners.contains(other.id()));
        assertTrue("data keys (v1 archived, v2) and a person key: " + keys.size(), keys.size() >= 4);
        for (String[] table : new String[][] {{"mamori", "mamori_vault_data_key"}, {"mamori", "mamori_vault_cutoff"},
                {"mamori", "mamori_job"},
                {"mamori", "mamori_vault_participant"}, {"mamori-pii", "mamori_vault_person_key"}}) {
            try (java.sql.Connection c = dataSource(table[0]).getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT * FROM " + table[1])) {
                while (rs.next()) {
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        everything.append(rs.getString(col)).append('\n');
                    }
                }
            }
        }
        String dump = everything.toString();
        String lower = dump.toLowerCase(java.util.Locale.ROOT);
        for (byte[] raw : keys) {
            assertFalse("hex of a key in the rows or escrow", lower.contains(java.util.HexFormat.of().formatHex(raw)));
            assertFalse("Base64 of a key in the rows or escrow", dump.contains(java.util.Base64.getEncoder().encodeToString(raw)));
            assertFalse("Base64url of a key in the rows or escrow", dump.contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
            java.util.Arrays.fill(raw, (byte) 0);
        }

        // restart the vault (its bundle): keys come back from the keystore and the database
        org.osgi.framework.Bundle impl = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.vault.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        impl.stop();
        impl.start();
        dev.mamori.vault.VaultService fresh = Wait.until("vault back and unsealed", Duration.ofSeconds(30), () -> {
            org.osgi.framework.ServiceReference<dev.mamori.vault.VaultService> ref =
                    bundleContext.getServiceReference(dev.mamori.vault.VaultService.class);
            dev.mamori.vault.VaultService v = ref == null ? null : bundleContext.getService(ref);
            return v != null && !v.status().sealed() ? v : null;
        });
        for (Map.Entry<Integer, byte[]> e : store.rows.entrySet()) {
            org.junit.Assert.assertArrayEquals(new byte[] {(byte) (int) e.getKey()}, context.callAs(t.id(),
                    () -> fresh.decrypt(t.id(), dev.mamori.vault.KeyPurpose.RECORDS, e.getValue(), MemoryRecords.aad(t.id(), e.getKey()))));
        }
        vault = fresh;
    }

    /** The vault's associated-data format: each part as a 4-byte length and its UTF-8 bytes. */
    static byte[] aadOf(String... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private javax.sql.DataSource dataSource(String name) throws Exception {
        return bundleContext.getService(bundleContext.getServiceReferences(javax.sql.DataSource.class,
                "(osgi.jndi.service.name=" + name + ")").iterator().next());
    }

    @Test
    public void aud6_theClockServiceIsReplaceableAndZoned() {
        java.time.Instant fixed = java.time.Instant.parse("2030-01-01T00:00:00Z");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<java.time.Clock> reg = bundleContext.registerService(java.time.Clock.class,
                java.time.Clock.fixed(fixed, java.time.ZoneId.of("Asia/Tokyo")), props);
        Tenant t;
        try {
            t = tenants.create(NewTenant.builder("clock-" + shortId(), "Clock").build());
        } finally {
            reg.unregister();
        }
        assertEquals(fixed, t.createdAt());
        // 2030-01-01T00:00Z is already 09:00 on 1 January in Tokyo: trial of 30 days ends on the 31st
        assertEquals(java.time.LocalDate.parse("2030-01-31"), t.trialEndsOn().orElseThrow());
        Tenant after = tenants.create(NewTenant.builder("clock-" + shortId(), "Clock").build());
        assertTrue("real time again after the test clock left", after.createdAt().isAfter(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                && after.createdAt().isBefore(fixed));
    }

    protected static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue("content type " + r.headers().firstValue("Content-Type"),
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body(), r.body().contains("urn:mamori:problem:" + code));
        assertFalse(r.body(), r.body().contains("<html"));
        assertFalse(r.body(), r.body().contains("\tat "));
    }

    protected String operator(String command) throws Exception {
        return execute(command, "operator", "ssh");
    }

    /** Runs a command that must fail and returns its error message. */
    protected String operatorError(String command) {
        try {
            String out = execute(command, "operator", "ssh");
            throw new AssertionError("expected failure of '" + command + "' but got: " + out);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null && t.getMessage() == null) {
                t = t.getCause();
            }
            return String.valueOf(t.getMessage());
        }
    }

    protected String execute(String command, String... roles) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("it-operator"));
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

    protected static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
