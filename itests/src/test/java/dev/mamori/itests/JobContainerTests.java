package dev.mamori.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.tenant.Tenant;

/**
 * Jobs that do real work (issue #15 point 4), through the distribution: the test plugin's typed job
 * for a tenant stores an artifact encrypted under the tenant's key; the tenant's admins see the
 * tenant's jobs and download it with its hash over REST, another tenant's admin sees neither, an
 * employee is refused.
 */
public abstract class JobContainerTests extends CrossTenantContainerTests {

    @Test
    public void issue15_tenantJobWithAnArtifactOverRest() throws Exception {
        Tenant a = newTenant("jobs-a");
        Tenant b = newTenant("jobs-b");
        Account adminA = bootstrapAdmin(a);
        Account adminB = bootstrapAdmin(b);
        Account employee = createEmployee(adminA, "emp");
        List<MamoriEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<MamoriEventListener> listener = bundleContext.registerService(MamoriEventListener.class, events::add, null);
        org.osgi.framework.Bundle plugin = bundleContext.installBundle(
                new java.io.File(System.getProperty("mamori.it.plugin")).toURI().toString());
        try {
            plugin.start();
            // the plugin's job handler waits for its schema; its command for the job service
            Wait.until("the plugin's schema", Duration.ofSeconds(30), () -> !bundleContext.getServiceReferences(
                    dev.mamori.platform.db.SchemaReady.class, "(mamori.schema=it-plugin)").isEmpty());
            String label = "export-" + shortId();
            String submitted = Wait.until("the test plugin's job command", Duration.ofSeconds(30),
                    () -> operator("mamori:it-plugin-job --tenant " + a.id() + " " + label));
            String id = submitted.substring(submitted.indexOf("job ") + 4).trim();
            JobInfo done = Wait.until("the plugin's tenant job", Duration.ofSeconds(60), () -> {
                JobInfo j = SYSTEM.call(() -> jobs.find(id)).orElseThrow(() -> new AssertionError(submitted));
                return j.state() == JobState.DONE || j.state() == JobState.FAILED ? j : null;
            });
            assertEquals(done.detail(), JobState.DONE, done.state());
            assertEquals(a.id(), done.tenantId());
            String expected = "step 1 of " + label + "\nstep 2 of " + label + "\nstep 3 of " + label + "\n";

            // at rest: only ciphertext
            try (java.sql.Connection c = dataSource("mamori").getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT content, sha256 FROM mamori_job_artifact WHERE job_id = ?")) {
                ps.setString(1, id);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    assertTrue("the artifact row", rs.next());
                    assertFalse("no plaintext at rest", new String(rs.getBytes(1), StandardCharsets.ISO_8859_1).contains(label));
                    assertEquals(sha256(expected.getBytes(StandardCharsets.UTF_8)), rs.getString(2));
                }
            }

            // the tenant's admin: the tenant's jobs, the job with its artifact, the file with its digest
            HttpResponse<String> list = https.send(bearer("/api/v1/jobs?type=it.plugin.notes", adminA.bearer).GET());
            assertEquals(list.body(), 200, list.statusCode());
            assertTrue(list.body(), list.body().contains(id));
            HttpResponse<String> job = https.send(bearer("/api/v1/jobs/" + id, adminA.bearer).GET());
            assertEquals(job.body(), 200, job.statusCode());
            assertTrue(job.body(), job.body().contains("/api/v1/jobs/" + id + "/artifacts/notes.txt"));
            HttpResponse<String> file = https.send(bearer("/api/v1/jobs/" + id + "/artifacts/notes.txt", adminA.bearer).GET());
            assertEquals(file.body(), 200, file.statusCode());
            assertEquals(expected, file.body());
            String digest = "sha-256=:" + java.util.Base64.getEncoder().encodeToString(
                    java.util.HexFormat.of().parseHex(sha256(expected.getBytes(StandardCharsets.UTF_8)))) + ":";
            assertEquals(digest, file.headers().firstValue("Repr-Digest").orElse(""));
            assertTrue(file.headers().toString(), file.headers().firstValue("Content-Disposition").orElse("").contains("notes.txt"));
            // the platform's work for the tenant (an operator submitted it): not the tenant admin's to cancel
            assertProblem(https.send(bearer("/api/v1/jobs/" + id + "/cancel", adminA.bearer)
                    .POST(HttpRequest.BodyPublishers.noBody())), 403, "forbidden");

            // another tenant's admin: no such job, no such artifact, nothing listed
            HttpResponse<String> otherList = https.send(bearer("/api/v1/jobs", adminB.bearer).GET());
            assertEquals(otherList.body(), 200, otherList.statusCode());
            assertFalse(otherList.body(), otherList.body().contains(id));
            assertProblem(https.send(bearer("/api/v1/jobs/" + id, adminB.bearer).GET()), 404, "no-such-job");
            assertProblem(https.send(bearer("/api/v1/jobs/" + id + "/artifacts/notes.txt", adminB.bearer).GET()), 404,
                    "no-such-artifact");
            // an employee of the same tenant: not for them
            assertProblem(https.send(bearer("/api/v1/jobs", employee.bearer).GET()), 403, "forbidden");
            // ... and the same answer as for a job that does not exist
            assertProblem(https.send(bearer("/api/v1/jobs/" + id + "/artifacts/notes.txt", employee.bearer).GET()), 404,
                    "no-such-artifact");
            assertProblem(https.send(bearer("/api/v1/jobs/" + id, employee.bearer).GET()), 404, "no-such-job");

            // AUD: the download is an event naming who read which file
            MamoriEvent read = Wait.until("the artifact-read event", Duration.ofSeconds(10), () -> events.stream()
                    .filter(e -> e.is(PlatformEvents.JOB_ARTIFACT_READ) && id.equals(e.targetId().orElse(null))).findFirst().orElse(null));
            assertEquals(adminA.id, read.principalId().orElse(null));
            assertEquals(a.id(), read.tenantId().orElse(null));
            assertEquals("notes.txt", read.details().get("name"));

            // the operator's job reached the tenant's data through the tenant context, for a named purpose, on the record
            assertTrue(events.toString(), events.stream().anyMatch(e -> e.is(PlatformEvents.PLATFORM_ACCESS)
                    && a.id().equals(e.tenantId().orElse(null)) && "jobs.run".equals(e.details().get("purpose"))
                    && id.equals(e.requestId().orElse(null))));

            // the tenant directory a per-tenant schedule fans out to
            JobTenants directory = bundleContext.getService(bundleContext.getServiceReference(JobTenants.class));
            assertTrue(directory.tenantIds().containsAll(List.of(a.id(), b.id())));
        } finally {
            listener.unregister();
            plugin.uninstall();
        }
        // the next test starts from a ready server, as this one did
        Wait.until("ready after the plugin left", Duration.ofSeconds(30), () -> https.get("/api/v1/health").statusCode() == 200);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
