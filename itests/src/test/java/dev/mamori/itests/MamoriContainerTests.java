package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

import dev.mamori.platform.context.ExecutionContext;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantNotAccessibleException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantState;

/**
 * What only the running distribution shows: features resolve, plugins and updated bundles plug in,
 * shell commands under their ACL, tenant isolation on the real database, the clock; with the auth,
 * REST and vault tests above it. Subclasses choose the database.
 */
public abstract class MamoriContainerTests extends RetentionContainerTests {
    /** Every feature of the Mamori repository; a new one is added here on purpose. */
    private static final Set<String> FEATURES = Set.of("mamori", "mamori-persistence", "mamori-cxf", "mamori-platform",
            "mamori-shell", "mamori-tenant", "mamori-vault", "mamori-rest", "mamori-tenant-rest", "mamori-auth", "mamori-artifacts",
            "mamori-audit", "mamori-records", "mamori-notification", "mamori-retention", "mamori-postgresql");
    /** Fragments: resolved, never active. */
    private static final Set<String> FRAGMENTS = Set.of("dev.mamori.jetty.errors", "dev.mamori.flyway.fragment");
    /** The API a plugin builds against: every exported package and its semantic version. */
    private static final Map<String, String> EXPORTS = Map.ofEntries(
            Map.entry("dev.mamori.auth", "2.3.0"), Map.entry("dev.mamori.auth.spi", "1.1.0"),
            Map.entry("dev.mamori.platform.config", "1.0.0"), Map.entry("dev.mamori.platform.context", "1.1.0"),
            Map.entry("dev.mamori.platform.db", "2.3.0"), Map.entry("dev.mamori.platform.error", "1.3.0"),
            Map.entry("dev.mamori.platform.event", "2.2.0"), Map.entry("dev.mamori.platform.health", "1.1.0"),
            Map.entry("dev.mamori.platform.job", "2.1.0"), Map.entry("dev.mamori.rest.spi", "2.3.0"),
            Map.entry("dev.mamori.shell.spi", "1.4.0"), Map.entry("dev.mamori.tenant", "4.1.0"),
            Map.entry("dev.mamori.tenant.jpa", "1.1.0"), Map.entry("dev.mamori.vault", "4.0.0"),
            Map.entry("dev.mamori.vault.spi", "2.0.0"), Map.entry("dev.mamori.audit", "1.1.0"),
            Map.entry("dev.mamori.audit.proof", "1.1.0"), Map.entry("dev.mamori.records", "1.1.0"),
            Map.entry("dev.mamori.notification", "1.1.0"), Map.entry("dev.mamori.notification.spi", "1.0.0"),
            Map.entry("dev.mamori.retention", "1.0.0"));

    /**
     * EXT-1: every feature of the Mamori repository is installed (the PostgreSQL driver only where it
     * is the database), every Mamori bundle runs, the exported API packages carry exactly their
     * semantic versions, no internal package is exported, and every import of a Mamori package is
     * bounded to a compatible range - what lets one bundle be replaced without the others.
     */
    @Test
    public void ext1_everyMamoriFeatureIsInstalled() throws Exception {
        org.apache.karaf.features.Repository repository = java.util.Arrays.stream(features.listRepositories())
                .filter(r -> r.getName() != null && r.getName().startsWith("mamori-")).findFirst().orElseThrow();
        Set<String> defined = new TreeSet<>();
        for (org.apache.karaf.features.Feature f : repository.getFeatures()) {
            defined.add(f.getName());
        }
        assertEquals(new TreeSet<>(FEATURES), defined);
        boolean postgres = "PostgreSQL".equals(databaseProduct());
        for (String name : FEATURES) {
            assertEquals(name + " installed", !name.equals("mamori-postgresql") || postgres,
                    features.isInstalled(features.getFeature(name)));
        }
        Map<String, String> exported = new TreeMap<>();
        Set<String> running = new TreeSet<>();
        for (Bundle b : bundleContext.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith("dev.mamori.") || name.startsWith("dev.mamori.itests.")) {
                continue;
            }
            running.add(name);
            assertEquals(name, FRAGMENTS.contains(name) ? Bundle.RESOLVED : Bundle.ACTIVE, b.getState());
            BundleWiring wiring = b.adapt(BundleWiring.class);
            for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                assertEquals("exported twice", null, exported.put((String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                        c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE).toString()));
            }
            for (BundleWire w : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = (String) w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                String filter = w.getRequirement().getDirectives().get(PackageNamespace.REQUIREMENT_FILTER_DIRECTIVE);
                if (pkg.startsWith("dev.mamori.")) {
                    assertTrue(name + " imports " + pkg + " without an upper bound: " + filter, filter.contains("(!(version>="));
                }
            }
        }
        assertEquals(Set.of("dev.mamori.platform", "dev.mamori.shell", "dev.mamori.tenant.api", "dev.mamori.tenant.impl",
                "dev.mamori.tenant.rest", "dev.mamori.vault.api", "dev.mamori.vault.impl", "dev.mamori.rest", "dev.mamori.auth.api", "dev.mamori.auth.impl",
                "dev.mamori.auth.rest", "dev.mamori.jetty.errors",
                "dev.mamori.flyway.fragment", "dev.mamori.artifacts", "dev.mamori.audit.api", "dev.mamori.audit.impl", "dev.mamori.audit.rest",
                "dev.mamori.records.api", "dev.mamori.records.impl", "dev.mamori.records.rest", "dev.mamori.notification.api",
                "dev.mamori.notification.impl", "dev.mamori.notification.rest", "dev.mamori.retention.api", "dev.mamori.retention.impl",
                "dev.mamori.retention.rest"),
                running);
        assertEquals(new TreeMap<>(EXPORTS), exported);
    }

    /**
     * EXT-1 (issue #15): every configuration a Mamori component reads is described by the metatype of its
     * bundle (a {@code @Designate}), so that Karaf's configuration tools ({@code config:meta}, the web
     * console) list and check it: for each component of each Mamori bundle, as the running Service
     * Component Runtime describes it, every configuration PID of its own (not merely its component name)
     * is a PID or factory PID the MetaTypeService knows for that bundle, with attributes.
     */
    @Test
    public void ext1_everyConfigurationPidHasItsMetatype() throws Exception {
        org.osgi.service.component.runtime.ServiceComponentRuntime scr = bundleContext.getService(
                bundleContext.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class));
        org.osgi.service.metatype.MetaTypeService metatype = bundleContext.getService(
                bundleContext.getServiceReference(org.osgi.service.metatype.MetaTypeService.class));
        Map<String, String> missing = new TreeMap<>();
        Set<String> checked = new TreeSet<>();
        for (Bundle b : bundleContext.getBundles()) {
            String name = b.getSymbolicName();
            if (name == null || !name.startsWith("dev.mamori.") || name.startsWith("dev.mamori.itests.")) {
                continue;
            }
            org.osgi.service.metatype.MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            Set<String> pids = new TreeSet<>(List.of(info == null ? new String[0] : info.getPids()));
            Set<String> factoryPids = new TreeSet<>(List.of(info == null ? new String[0] : info.getFactoryPids()));
            for (org.osgi.service.component.runtime.dto.ComponentDescriptionDTO c : scr.getComponentDescriptionDTOs(b)) {
                for (String pid : c.configurationPid) {
                    if (pid.equals(c.name)) {
                        continue; // no configuration of its own: DS's default PID
                    }
                    checked.add(pid);
                    if (!pids.contains(pid) && !factoryPids.contains(pid)) {
                        missing.put(name + " " + c.name, pid);
                    } else {
                        org.osgi.service.metatype.ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                        assertTrue(pid + " has attributes", ocd.getAttributeDefinitions(
                                org.osgi.service.metatype.ObjectClassDefinition.ALL).length > 0);
                    }
                }
            }
        }
        assertEquals("configuration PIDs without a metatype designate", Map.of(), missing);
        assertTrue(checked.toString(), checked.containsAll(Set.of("dev.mamori.auth", "dev.mamori.rest", "dev.mamori.vault",
                "dev.mamori.health", "dev.mamori.health.datasource")));
    }

    /**
     * EXT-1: an impl bundle is updated in the running server (a new revision from its location, then
     * a refresh) and its services come back from the new revision - the data kept, writes, the tenant
     * context, its shell commands, and the server ready again - with no restart.
     */
    @Test
    public void ext1_anImplBundleUpdatedAtRuntimeComesBackWithItsServices() throws Exception {
        Bundle impl = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.tenant.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ServiceReference<TenantService> before = bundleContext.getServiceReference(TenantService.class);
        assertEquals(impl, before.getBundle());
        Tenant kept = SYSTEM.call(() -> tenants.create(NewTenant.builder("upd-" + shortId(), "Before the update").build()));
        org.osgi.framework.wiring.BundleRevision oldRevision = impl.adapt(org.osgi.framework.wiring.BundleRevision.class);
        impl.update();
        java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
        bundleContext.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class)
                .refreshBundles(List.of(impl), e -> refreshed.countDown());
        assertTrue("refreshed", refreshed.await(60, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse("a new revision", oldRevision.equals(impl.adapt(org.osgi.framework.wiring.BundleRevision.class)));

        TenantService updated = Wait.until("the tenant service from the new revision", Duration.ofSeconds(60), () -> {
            ServiceReference<TenantService> ref = bundleContext.getServiceReference(TenantService.class);
            return ref != null && ref.getBundle().equals(impl) && !ref.getProperty(Constants.SERVICE_ID).equals(
                    before.getProperty(Constants.SERVICE_ID)) && impl.getState() == Bundle.ACTIVE ? bundleContext.getService(ref) : null;
        });
        assertEquals(kept.id(), updated.get(kept.slug()).id());
        Tenant after = SYSTEM.call(() -> updated.create(NewTenant.builder("upd-" + shortId(), "After the update").build()));
        TenantContext updatedContext = Wait.until("the tenant context", Duration.ofSeconds(60), () -> {
            ServiceReference<TenantContext> ref = bundleContext.getServiceReference(TenantContext.class);
            return ref != null && ref.getBundle().equals(impl) ? bundleContext.getService(ref) : null;
        });
        assertEquals(after.id(), updatedContext.callAs(after.slug(), () -> ExecutionContext.require().tenantId().orElseThrow()));
        String shown = Wait.until("the tenant commands", Duration.ofSeconds(60), () -> operator("mamori:tenant-show " + after.slug()));
        assertTrue(shown, shown.contains("After the update"));
        Wait.until("ready again", Duration.ofSeconds(60), () -> https.get("/api/v1/health").statusCode() == 200);
    }

    /**
     * EXT-1, OPS-1 (issue #15): one tenant completer - the shell SPI's, registered once - serves the
     * tenant arguments of the commands of every bundle: completing one of an auth, a vault and a tenant
     * command offers the tenants' slugs through it, from the tenant capability's CompletionSource.
     */
    @Test
    public void shell_oneTenantCompleterForTheCommandsOfEveryBundle() throws Exception {
        Tenant t = SYSTEM.call(() -> tenants.create(NewTenant.builder("compl-" + shortId(), "Completion").build()));
        org.apache.karaf.shell.api.console.Registry registry = sessionFactory.getRegistry();
        List<String> tenantCompleters = new java.util.ArrayList<>();
        for (org.apache.karaf.shell.api.console.Completer c : registry.getServices(org.apache.karaf.shell.api.console.Completer.class)) {
            if (c.getClass().getSimpleName().equals("TenantCompleter")) {
                tenantCompleters.add(c.getClass().getName() + "@" + org.osgi.framework.FrameworkUtil.getBundle(c.getClass()).getSymbolicName());
            }
        }
        assertEquals(List.of("dev.mamori.shell.spi.TenantCompleter@dev.mamori.shell"), tenantCompleters);
        String typed = t.slug().substring(0, t.slug().length() - 3);
        org.apache.karaf.shell.api.console.Session session = sessionFactory.create(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        try {
            for (String name : List.of("user-list", "vault-shred", "tenant-show")) {
                org.apache.karaf.shell.api.console.Command command = registry.getCommand("mamori", name);
                assertTrue(name, command != null);
                List<String> candidates = new java.util.ArrayList<>();
                command.getCompleter(true).complete(session, commandLine("mamori:" + name, typed), candidates);
                assertTrue(name + " completes " + typed + ": " + candidates, candidates.stream().map(String::strip).anyMatch(t.slug()::equals));
            }
        } finally {
            session.close();
        }
    }

    /** @return the line {@code command typed} with the cursor at the end of the first argument */
    private static org.apache.karaf.shell.api.console.CommandLine commandLine(String command, String typed) {
        String buffer = command + " " + typed;
        return new org.apache.karaf.shell.api.console.CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return 1;
            }

            @Override
            public String getCursorArgument() {
                return typed;
            }

            @Override
            public int getArgumentPosition() {
                return typed.length();
            }

            @Override
            public String[] getArguments() {
                return new String[] {command, typed};
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }

    /**
     * A bundle built like a third-party plugin (itests/plugin) plugs a resource, filters in the
     * authentication and audit slots, an exception mapper, a health check, a shell command, a migration
     * and a job into the running server without any change to a Mamori bundle; uninstalled, every trace
     * is gone. Meanwhile: a required slot left empty closes the whole API (503) - the audit slot, which
     * only the plugin fills (the auth capability fills the authentication slot) - and a required health
     * check that is missing makes the server not ready.
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
            String submitted = operator("mamori:it-plugin-job it");
            dev.mamori.platform.job.JobInfo job = SYSTEM.call(() -> jobs.find(submitted.substring(submitted.indexOf("job ") + 4).trim()))
                    .orElseThrow(() -> new AssertionError(submitted));
            assertEquals("{\"label\":\"it\",\"steps\":3}", job.parameters());
            dev.mamori.platform.job.JobInfo done = Wait.until("the plugin's job", Duration.ofSeconds(60), () -> {
                dev.mamori.platform.job.JobInfo j = SYSTEM.call(() -> jobs.find(job.id())).orElseThrow();
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
            assertTrue(list, list.contains(job.id()) && list.contains("DONE") && list.contains("operator:it-operator"));
            // issue #15: a plugin's action and its event in one unit of work; its own required listener vetoes,
            // and the note goes with the event
            assertTrue(operator("mamori:it-plugin-unit unit-kept").contains("written"));
            String vetoed = operatorError("mamori:it-plugin-unit --veto unit-vetoed");
            assertTrue(vetoed, vetoed.contains("event-delivery-failed"));
            try (java.sql.Connection c = dataSource("mamori").getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT note FROM it_plugin_note WHERE note LIKE 'unit-%'")) {
                List<String> notes = new java.util.ArrayList<>();
                while (rs.next()) {
                    notes.add(rs.getString(1));
                }
                assertEquals(List.of("unit-kept"), notes);
            }
            // required parts, while present: the API serves, the server is ready
            update("dev.mamori.rest", restBefore, "required.slots", new String[] {"authentication:auth-session", "tenant:auth-tenant",
                "mfa:auth-mfa", "permission:auth-permission", "audit:it-plugin-audit"});
            update("dev.mamori.health", healthBefore, "required", new String[] {"database", "pii-database", "schema", "vault", "audit",
                "it-plugin"});
            Wait.until("the API with its required slot filled", Duration.ofSeconds(30),
                    () -> https.get("/api/v1/health").statusCode() == 200 && https.get("/api/v1/it-plugin").statusCode() == 200);
        } finally {
            plugin.uninstall();
        }
        // the required audit slot is empty now: every API path answers 503, never unguarded (Config Admin delivers the
        // requirement asynchronously, and a request waits for the slot up to hold.seconds first)
        Wait.until("503 on every API path", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = https.get("/api/v1/health");
            return r.statusCode() == 503 && r.body().contains("required-slot-empty");
        });
        for (String path : List.of("/api/v1/health", "/api/v1/it-plugin", "/api/v1/no-such-thing", "/api/v1/jobs", "/api/v1/openapi.json")) {
            HttpResponse<String> r = https.get(path);
            assertProblem(r, 503, "required-slot-empty");
            assertTrue(path, r.headers().firstValue("Retry-After").isPresent());
            assertTrue(r.body(), r.body().contains("audit:it-plugin-audit"));
        }
        update("dev.mamori.rest", restBefore, "required.slots", null);
        // the required health check is missing: the server is not ready, and says why
        HttpResponse<String> notReady = Wait.until("not ready without the required check", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = https.get("/api/v1/health");
            return r.statusCode() == 503 && r.body().contains("\"it-plugin\"") ? r : null;
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
        for (org.osgi.framework.ServiceReference<?> r : bundleContext.getServiceReferences(dev.mamori.platform.job.JobHandler.class, null)) {
            dev.mamori.platform.job.JobHandler<?, ?> h = (dev.mamori.platform.job.JobHandler<?, ?>) bundleContext.getService(r);
            assertFalse("the plugin's job handler is gone", h != null && "it.plugin.notes".equals(h.type().name()));
        }
        // and the job service knows it: a run of its type is refused, not queued for nobody
        dev.mamori.platform.error.MamoriException noHandler = org.junit.Assert.assertThrows(dev.mamori.platform.error.MamoriException.class,
                () -> SYSTEM.call(() -> jobs.submit(dev.mamori.platform.job.JobRequest.of(
                        dev.mamori.platform.job.JobType.simple("it.plugin.notes")))));
        assertEquals("no-job-handler", noHandler.code());
        assertEquals(0, java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.itests.plugin".equals(b.getSymbolicName())).count());
    }


    /**
     * IAM-2, SEC-11, SEC-4, EXT-1 (issue #15): the REST security contract from exported packages only. The
     * plugin's resource declares the permission it needs with {@code @RequiresPermission} and the permission
     * slot enforces it (401 anonymous, 403 for its own operator and for an employee, 200 for a tenant admin,
     * with the admin's tenant bound). And a required slot names its filter: with auth's session filter gone,
     * the plugin's own filter in the authentication slot does not count as authentication - the API answers
     * 503 required-slot-empty, never serves behind a stray filter - and with it back the API serves again.
     */
    @Test
    public void ext1_aPluginDeclaresItsPermission_aStrayAuthenticationFilterOpensNothing() throws Exception {
        Bundle plugin = bundleContext.installBundle(new java.io.File(System.getProperty("mamori.it.plugin")).toURI().toString());
        Dictionary<String, Object> restBefore = config("dev.mamori.rest");
        org.osgi.service.component.runtime.ServiceComponentRuntime scr = bundleContext.getService(
                bundleContext.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class));
        Bundle authRest = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "dev.mamori.auth.rest".equals(b.getSymbolicName())).findFirst().orElseThrow();
        org.osgi.service.component.runtime.dto.ComponentDescriptionDTO sessionFilter = scr.getComponentDescriptionDTO(authRest,
                "dev.mamori.auth.rest.internal.SessionFilter");
        assertTrue("auth's session filter", sessionFilter != null && scr.isComponentEnabled(sessionFilter));
        try {
            plugin.start();
            Wait.until("the plugin's resource", Duration.ofSeconds(30), () -> https.get("/api/v1/it-plugin").statusCode() == 200);
            assertProblem(https.get("/api/v1/it-plugin/guarded"), 401, "unauthenticated");
            assertProblem(https.send(request("/api/v1/it-plugin/guarded").header("X-It-Operator", "alice").GET()), 403,
                    "permission-missing");
            Account admin = bootstrapAdmin(newTenant("perm"));
            HttpResponse<String> allowed = https.send(bearer("/api/v1/it-plugin/guarded", admin.bearer).GET());
            assertEquals(allowed.body(), 200, allowed.statusCode());
            assertTrue(allowed.body(), allowed.body().replace(" ", "").contains("\"tenant\":\"" + admin.tenant.id() + "\""));
            Account employee = createEmployee(admin, "perm");
            assertProblem(https.send(bearer("/api/v1/it-plugin/guarded", employee.bearer).GET()), 403, "permission-missing");

            // a short hold: the slot does not come back here until the test says so
            update("dev.mamori.rest", restBefore, "hold.seconds", 1);
            scr.disableComponent(sessionFilter);
            HttpResponse<String> closed = Wait.until("503 with only the plugin's filter in the authentication slot",
                    Duration.ofSeconds(30), () -> {
                        HttpResponse<String> r = https.get("/api/v1/health");
                        return r.statusCode() == 503 ? r : null;
                    });
            assertProblem(closed, 503, "required-slot-empty");
            assertTrue(closed.body(), closed.body().contains("authentication:auth-session"));
            for (String path : List.of("/api/v1/it-plugin", "/api/v1/me", "/api/v1/jobs")) {
                assertProblem(https.send(request(path).header("X-It-Operator", "alice").GET()), 503, "required-slot-empty");
            }
        } finally {
            scr.enableComponent(sessionFilter);
            update("dev.mamori.rest", restBefore, "hold.seconds", null);
            plugin.uninstall();
        }
        Wait.until("served again with auth's session filter back", Duration.ofSeconds(30),
                () -> https.get("/api/v1/health").statusCode() == 200);
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

    /**
     * OPS-3, AUD-2 (issue #15): every mamori:* command an operator runs is an event before it runs
     * ({@code shell.command.run}) — the operator, the SSH client's address from the session's subject
     * as Karaf's SSH server puts it there, the command's name and never its arguments —, a failed
     * one is followed by {@code shell.command.failed} with its error code, and the events of the
     * command's own work share its request id.
     */
    @Test
    public void ops3_everyShellCommandIsRecordedWithTheSshAddress() throws Exception {
        java.util.List<dev.mamori.platform.event.MamoriEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(dev.mamori.platform.event.MamoriEventListener.TYPES, new String[] {"shell.", "tenant."});
        ServiceRegistration<dev.mamori.platform.event.MamoriEventListener> listener = bundleContext.registerService(
                dev.mamori.platform.event.MamoriEventListener.class, events::add, props);
        String slug = "ops3-" + shortId();
        try {
            assertTrue(executeFrom("/192.0.2.44:50022", "mamori:tenant-create " + slug + " \"Confidential Name KK\"", "operator", "ssh")
                    .contains("Created tenant " + slug));
            String unknown = "no-such-" + shortId();
            try {
                executeFrom("/[2001:db8::7]:50023", "mamori:tenant-show " + unknown, "operator", "ssh");
                fail("tenant-show of an unknown tenant succeeded");
            } catch (Exception expected) {
                assertTrue(expected.toString(), expected.getMessage().contains("tenant-not-found"));
            }
            // non-required listeners hear of events once their unit committed, asynchronously
            dev.mamori.platform.event.MamoriEvent run = Wait.until("shell.command.run of tenant-create", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> "shell.command.run".equals(e.type())
                            && "mamori:tenant-create".equals(e.details().get("command"))).findFirst().orElse(null));
            assertEquals("192.0.2.44", run.clientIp().orElseThrow());
            assertEquals("it-operator", run.principalId().orElseThrow());
            assertEquals(dev.mamori.platform.context.PrincipalKind.OPERATOR, run.principalKind().orElseThrow());
            assertEquals("SHELL", run.channel().orElseThrow());
            dev.mamori.platform.event.MamoriEvent created = Wait.until("tenant.created", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> e.is(dev.mamori.tenant.TenantEvents.CREATED)
                            && tenants.get(slug).id().equals(e.targetId().orElse(null))).findFirst().orElse(null));
            assertEquals("the command's work shares its request id", run.requestId(), created.requestId());
            dev.mamori.platform.event.MamoriEvent failed = Wait.until("shell.command.failed of tenant-show", Duration.ofSeconds(10),
                    () -> events.stream().filter(e -> "shell.command.failed".equals(e.type())
                            && "mamori:tenant-show".equals(e.details().get("command"))).findFirst().orElse(null));
            assertEquals("tenant-not-found", failed.details().get("error"));
            assertEquals(dev.mamori.platform.event.MamoriEvent.Outcome.FAILURE, failed.outcome());
            assertEquals("2001:db8::7", failed.clientIp().orElseThrow());
            for (dev.mamori.platform.event.MamoriEvent e : events) {
                String canonical = new String(dev.mamori.platform.event.EventEncoding.encode(e), StandardCharsets.UTF_8);
                assertFalse("never an argument: " + canonical, canonical.contains("Confidential") || canonical.contains(unknown));
                assertEquals(e, dev.mamori.platform.event.EventEncoding.decode(canonical.getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            listener.unregister();
        }
    }

    /**
     * OPS-6: Karaf's command ACL (etc/org.apache.karaf.command.acl.mamori.cfg, every command: operator)
     * hides the mamori commands from a session without the operator role; the same command with the
     * role runs, so the refusal is the ACL's and not a missing command.
     */
    @Test
    public void ops6_shellCommandsNeedTheOperatorRole() throws Exception {
        String slug = "acl-" + shortId();
        try {
            execute("mamori:tenant-create " + slug + " Acl", "viewer", "ssh");
            fail("a viewer ran mamori:tenant-create");
        } catch (Exception refused) {
            assertEquals(refused.toString(), "org.apache.felix.gogo.runtime.CommandNotFoundException", refused.getClass().getName());
            assertEquals("Command not found: mamori:tenant-create", refused.getMessage());
        }
        assertFalse(tenants.find(slug).isPresent());
        assertTrue(execute("mamori:tenant-create " + slug + " Acl", "operator", "ssh").contains("Created tenant " + slug));
    }

    /**
     * SEC-2, OPS-1, OPS-6 (issue #14, F1): a shell session of an operator (the role the installation's
     * script key has too) or of support runs the mamori:* commands its role allows and nothing else
     * Gogo offers: no method call on an object (the framework's bundle context included), no
     * redirection into a file, no file, system, configuration or bundle command. A sysadmin session
     * (Karaf's admin role) still administers Karaf, method calls included.
     */
    @Test
    public void sec2_ops6_operatorAndSupportSessionsRunMamoriCommandsOnly() throws Exception {
        java.nio.file.Path proof = java.nio.file.Paths.get(System.getProperty("karaf.data"), "rce-proof-" + shortId());
        String webCfg = java.nio.file.Paths.get(System.getProperty("karaf.etc"), "org.ops4j.pax.web.cfg").toString();
        String keystorePassword = String.valueOf(configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties()
                .get("org.ops4j.pax.web.ssl.keystore.password"));
        List<String> attacks = List.of(
                "rt = ((($.context) getBundle 0) loadClass \"java.lang.Runtime\") ; ($rt getRuntime) exec \"touch " + proof + "\"",
                "((([] getClass) forName java.lang.Runtime) getRuntime) exec \"touch " + proof + "\"",
                "($.context) getBundle 0",
                "cat " + webCfg,
                "shell:head " + webCfg,
                "config:list \"(service.pid=org.ops4j.pax.web)\"",
                "cm:getConfiguration org.ops4j.pax.web",
                "shell:exec touch " + proof,
                "mamori:tenant-list > " + proof,
                "shell:new java.io.File " + proof,
                "shell:source file:" + webCfg,
                "system:property java.home",
                "bundle:list",
                "feature:list",
                "jaas:realm-list",
                "log:display",
                "scr:list");
        for (String[] roles : List.of(new String[] {"operator", "ssh"}, new String[] {"support", "ssh"})) {
            for (String attack : attacks) {
                String who = String.join(",", roles) + " ran: " + attack;
                try {
                    String out = execute(attack, roles);
                    fail(who + " -> " + out);
                } catch (Exception refused) {
                    String kind = refused.getClass().getName();
                    assertTrue(who + " -> " + refused, kind.equals("org.apache.felix.gogo.runtime.CommandNotFoundException")
                            || refused instanceof SecurityException);
                    assertFalse(who, String.valueOf(refused.getMessage()).contains(keystorePassword));
                }
            }
        }
        assertFalse("a refused command created " + proof, java.nio.file.Files.exists(proof));
        String health = https.get("/api/v1/health").body();
        assertTrue(health, health.contains("\"shell-lockdown\":{\"status\":\"UP\",\"detail\":\"locked down\"}"));
        // what an operator keeps: its commands and their help
        assertTrue(operator("mamori:tenant-list").contains("Slug"));
        String help = execute("*:help", "operator", "ssh");
        assertTrue(help, help.contains("mamori:tenant-list") && !help.contains("bundle:install"));

        // a sysadmin (the sysadmins group: admin, manager, viewer, ...) still administers Karaf, method calls included
        String[] sysadmin = {"admin", "manager", "viewer", "systembundles", "ssh"};
        assertTrue(execute("echo ((($.context) getBundle 0) getSymbolicName)", sysadmin).contains("org.apache.felix.framework"));
        assertTrue(execute("cat " + webCfg, sysadmin).contains("org.ops4j.pax.web.ssl.keystore.password"));
        assertTrue(execute("bundle:list -t 0 -s", sysadmin).contains("dev.mamori.platform"));
    }

    @Test
    public void ten1_settingsOfOneTenantAreInvisibleUnchangeableUndeletableForAnother() throws Exception {
        Tenant a = SYSTEM.call(() -> tenants.create(NewTenant.builder("iso-a-" + shortId(), "Isolation A").build()));
        Tenant b = SYSTEM.call(() -> tenants.create(NewTenant.builder("iso-b-" + shortId(), "Isolation B").build()));
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
        Tenant t = SYSTEM.call(() -> tenants.create(NewTenant.builder("lock-" + shortId(), "Locked").build()));
        context.runAs(t.id(), () -> settings.put("k", "v"));
        SYSTEM.run(() -> tenants.expire(t.id()));
        try {
            context.runAs(t.id(), settings::list);
            fail("an EXPIRED tenant's data was reachable");
        } catch (TenantNotAccessibleException expected) {
        }
        // platform work (retention, export) still reaches it, and says why
        assertEquals(1, (int) SYSTEM.call(() -> context.callAsPlatform(t.id(), IT_PURPOSE, () -> settings.list().size())));
        SYSTEM.run(() -> tenants.delete(t.id(), t.slug()));
        try {
            context.runAs(t.id(), settings::list);
            fail("a DELETED tenant's data was reachable");
        } catch (dev.mamori.tenant.TenantNotFoundException expected) {
            // users are told nothing: a DELETED tenant does not exist for them
        }
    }

    /**
     * AUD-6: the platform's clock is in the configured zone (Asia/Tokyo); a higher-ranked Clock replaces
     * it at runtime - an instant 100 days ahead at 20:00 UTC, already the next day in Tokyo, so the trial
     * end shows which zone counted - and once it leaves, the real time is back.
     */
    @Test
    public void aud6_theClockServiceIsReplaceableAndZoned() {
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        assertEquals(tokyo, bundleContext.getService(bundleContext.getServiceReference(java.time.Clock.class)).getZone());
        java.time.LocalDate utcDay = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(100);
        java.time.Instant fixed = utcDay.atTime(20, 0).toInstant(java.time.ZoneOffset.UTC);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<java.time.Clock> reg = bundleContext.registerService(java.time.Clock.class,
                java.time.Clock.fixed(fixed, tokyo), props);
        Tenant t;
        try {
            t = SYSTEM.call(() -> tenants.create(NewTenant.builder("clock-" + shortId(), "Clock").build()));
        } finally {
            reg.unregister();
        }
        assertEquals(fixed, t.createdAt());
        assertEquals("30 days from the Tokyo date", utcDay.plusDays(1 + 30), t.trialEndsOn().orElseThrow());
        java.time.Instant from = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Tenant real = SYSTEM.call(() -> tenants.create(NewTenant.builder("clock-" + shortId(), "Clock").build()));
        java.time.Instant to = java.time.Instant.now();
        assertFalse(real.createdAt() + " before " + from, real.createdAt().isBefore(from));
        assertFalse(real.createdAt() + " after " + to, real.createdAt().isAfter(to));
        assertEquals(java.time.LocalDate.ofInstant(real.createdAt(), tokyo).plusDays(30), real.trialEndsOn().orElseThrow());
    }
}
