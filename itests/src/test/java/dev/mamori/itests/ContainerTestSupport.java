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
import java.util.UUID;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantSettingsService;

/**
 * What every container test class needs: the injected services, HTTPS to the server on the port its
 * configuration names (a free one, see {@link PaxExamOptions}), the probe resource, the shell as an
 * operator, and the database each DataSource must be.
 */
public abstract class ContainerTestSupport {
    /** Platform work in the tests: the platform itself acts, as a job would. */
    static final dev.mamori.platform.context.ExecutionContext SYSTEM = dev.mamori.platform.context.ExecutionContext.system("it");
    static final dev.mamori.platform.context.PlatformPurpose IT_PURPOSE = dev.mamori.platform.context.PlatformPurpose.of(
            "it.test", "integration test");

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

    protected static Https https;
    private static ServiceRegistration<?> probe;

    /** @return the database product both DataSources must report, as JDBC names it */
    protected abstract String databaseProduct();

    /** @return the database (JDBC catalog) the named DataSource must be connected to */
    protected abstract String databaseName(String dataSource);

    @Before
    public void connect() throws Exception {
        if (https == null) {
            String password = Wait.until("HTTPS configuration", Duration.ofSeconds(30), () -> {
                Dictionary<String, Object> p = configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties();
                Object pw = p == null ? null : p.get("org.ops4j.pax.web.ssl.keystore.password");
                return pw == null ? null : pw.toString();
            });
            Path keystore = Paths.get(System.getProperty("karaf.etc"), "mamori-tls.p12");
            Object port = configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties().get("org.osgi.service.http.port.secure");
            https = Https.trusting(keystore, password.toCharArray(), "https://localhost:" + port);
            Wait.until("health 200", Duration.ofSeconds(60), () -> https.get("/api/v1/health").statusCode() == 200);
        }
        if (probe == null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("mamori.rest.resource", "true");
            probe = bundleContext.registerService(ProbeResource.class, new ProbeResource(), props);
            Wait.until("probe resource", Duration.ofSeconds(30), () -> https.get("/api/v1/it-probe").statusCode() == 200);
        }
    }

    protected Dictionary<String, Object> config(String pid) throws Exception {
        Dictionary<String, Object> p = configAdmin.getConfiguration(pid, null).getProperties();
        return p == null ? new Hashtable<>() : p;
    }

    /** Sets one property of a configuration (null: back to what it was), keeping the others. */
    protected void update(String pid, Dictionary<String, Object> before, String key, Object value) throws Exception {
        Hashtable<String, Object> next = new Hashtable<>();
        for (String k : java.util.Collections.list(before.keys())) {
            next.put(k, before.get(k));
        }
        if (value != null) {
            next.put(key, value);
        }
        configAdmin.getConfiguration(pid, null).update(next);
    }

    protected static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(java.net.URI.create(https.base() + path));
    }

    protected javax.sql.DataSource dataSource(String name) throws Exception {
        return bundleContext.getService(bundleContext.getServiceReferences(javax.sql.DataSource.class,
                "(osgi.jndi.service.name=" + name + ")").iterator().next());
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
        return executeFrom(null, command, roles);
    }

    /**
     * Runs a command in a session as Karaf's SSH server makes it: the subject carries the client's
     * address as a {@code ClientPrincipal("ssh", "/address:port")}.
     *
     * @param sshClient the SSH client's address and port, e.g. {@code /192.0.2.44:50022}, or null for none
     */
    protected String executeFrom(String sshClient, String command, String... roles) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("it-operator"));
        if (sshClient != null) {
            subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.ClientPrincipal("ssh", sshClient));
        }
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
