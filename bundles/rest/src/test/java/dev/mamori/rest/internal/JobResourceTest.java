package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobType;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobState;
import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.spi.RestConstants;

/** Jobs over REST, behind an authentication slot filter that sets the principal from a test header. */
class JobResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private ApiHarness api;
    private Jobs jobs;

    /** An in-memory job service that answers as the platform's does. */
    static final class Jobs implements JobService {
        final Map<String, JobInfo> byId = new ConcurrentHashMap<>();
        String listedType;
        int listedLimit;

        final Map<String, JobArtifactStore.Content> artifacts = new ConcurrentHashMap<>();
        String listedTenant;

        void put(String id, JobState state) {
            put(id, state, "tenant-a", "operator:op-1");
        }

        void put(String id, JobState state, String tenant, String by) {
            byId.put(id, new JobInfo(id, "vault.reencrypt", "k-" + id, tenant, "{}", state, 3, 10L, "batch 3 of 10",
                    null, by, null, T0, T0.plusSeconds(60), state.isOpen() ? null : T0.plusSeconds(120)));
        }

        /** As the platform's: a tenant's user sees the own tenant's jobs only. */
        private static boolean sees(JobInfo j) {
            Principal p = ExecutionContext.require().principal().orElseThrow();
            return p.tenantId().map(t -> t.equals(j.tenantId())).orElse(true);
        }

        @Override
        public <P> JobInfo submit(JobRequest<P> request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<JobInfo> find(String id) {
            return Optional.ofNullable(byId.get(id)).filter(Jobs::sees);
        }

        @Override
        public Optional<JobInfo> findOpen(JobType<?, ?> type, String tenantId, String key) {
            return Optional.empty();
        }

        @Override
        public List<JobInfo> list(String type, String tenant, int limit) {
            listedType = type;
            listedTenant = tenant;
            listedLimit = limit;
            return byId.values().stream().filter(Jobs::sees).filter(j -> type == null || j.type().equals(type))
                    .filter(j -> tenant == null || tenant.equals(j.tenantId())).limit(limit).collect(Collectors.toList());
        }

        @Override
        public List<JobArtifact> artifacts(String id) {
            return find(id).isEmpty() ? List.of() : artifacts.values().stream().map(JobArtifactStore.Content::artifact)
                    .filter(a -> a.jobId().equals(id)).collect(Collectors.toList());
        }

        @Override
        public Optional<JobArtifactStore.Content> artifact(String id, String name) {
            return find(id).isEmpty() ? Optional.empty() : Optional.ofNullable(artifacts.get(id + "/" + name));
        }

        @Override
        public Optional<JobArtifactStore.Download> download(String id, String name) {
            return artifact(id, name).map(c -> new JobArtifactStore.Download(c.artifact(), out -> out.write(c.bytes())));
        }

        @Override
        public <P> P parameters(JobInfo job, JobType<P, ?> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobInfo cancel(String id) {
            JobInfo j = find(id).orElseThrow(() -> new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job '" + id + "'."));
            boolean tenantCaller = ExecutionContext.require().principal().orElseThrow().tenantId().isPresent();
            if (tenantCaller && !j.requestedBy().startsWith("user:") && !j.requestedBy().startsWith("plugin:")) {
                // as the platform's service: the platform's work for a tenant is not the tenant's to cancel
                throw new MamoriException(PlatformErrors.FORBIDDEN, "This job is the platform's work for your tenant.");
            }
            if (!j.state().isOpen()) {
                throw new MamoriException(PlatformErrors.JOB_FINISHED, "Job " + id + " is already " + j.state() + ".");
            }
            put(id, JobState.CANCELLED);
            return byId.get(id);
        }

        @Override
        public void wake(JobType<?, ?> type) {
        }
    }

    /** Stands in for an authentication bundle: X-Test-Principal names the kind. */
    static final class TestAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String kind = request.getHeaderString("X-Test-Principal");
            if (kind == null) {
                return;
            }
            Principal p;
            switch (kind) {
                case "operator":
                    p = Principal.operator("op-1", Set.of("operator"));
                    break;
                case "support":
                    p = Principal.support("sup-1", Set.of());
                    break;
                case "admin-a":
                    p = Principal.user("admin-1", "tenant-a", Set.of("tenant-admin"));
                    break;
                case "admin-b":
                    p = Principal.user("admin-2", "tenant-b", Set.of("tenant-admin"));
                    break;
                default:
                    p = Principal.user("user-1", "tenant-a", Set.of("member"));
            }
            ExecutionContext.amend(c -> c.withPrincipal(p));
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
        jobs = new Jobs();
        jobs.put("job-running-1", JobState.RUNNING);
        jobs.put("job-done-1", JobState.DONE);
        api.deploy(new JobResource(jobs));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private void authenticate() {
        api.slots.add(1, RestConstants.SLOT_AUTHENTICATION, 0, new TestAuthentication());
    }

    private static void assertProblem(Resp r, int status, String code) {
        assertEquals(status, r.status, r.body);
        assertTrue(r.get("Content-Type").startsWith(RestConstants.PROBLEM_JSON), r.get("Content-Type"));
        assertTrue(r.body.contains("\"type\":\"urn:mamori:problem:" + code + "\""), r.body);
    }

    @Test
    @DisplayName("SEC-4: without an authentication filter every job call is 401 (fail closed)")
    void noAuthenticationBundle() throws Exception {
        assertProblem(api.get("/api/v1/jobs"), 401, "unauthenticated");
        assertProblem(api.get("/api/v1/jobs/job-running-1"), 401, "unauthenticated");
        assertProblem(api.request("POST", "/api/v1/jobs/job-running-1/cancel"), 401, "unauthenticated");
        assertEquals(JobState.RUNNING, jobs.byId.get("job-running-1").state());
    }

    @Test
    @DisplayName("SEC-4/OPS-1: no principal 401, a tenant user 403, support reads, an operator reads")
    void readAccess() throws Exception {
        authenticate();
        assertProblem(api.get("/api/v1/jobs"), 401, "unauthenticated");
        assertProblem(api.get("/api/v1/jobs", "X-Test-Principal: user"), 403, "forbidden");
        assertProblem(api.get("/api/v1/jobs/job-running-1", "X-Test-Principal: user"), 404, "no-such-job");
        assertEquals(200, api.get("/api/v1/jobs", "X-Test-Principal: support").status);
        Resp r = api.get("/api/v1/jobs?type=vault.reencrypt&limit=5", "X-Test-Principal: operator");
        assertEquals(200, r.status, r.body);
        assertEquals("vault.reencrypt", jobs.listedType);
        assertEquals(5, jobs.listedLimit);
        assertEquals(2, JSON.readTree(r.body).size());
    }

    @Test
    @DisplayName("OPS-2: a job reads as JSON with ISO instants and no absent fields")
    void view() throws Exception {
        authenticate();
        Resp r = api.get("/api/v1/jobs/job-done-1", "X-Test-Principal: operator");
        assertEquals(200, r.status, r.body);
        JsonNode j = JSON.readTree(r.body);
        assertEquals("job-done-1", j.get("id").asText());
        assertEquals("vault.reencrypt", j.get("type").asText());
        assertEquals("tenant-a", j.get("tenantId").asText());
        assertEquals("DONE", j.get("state").asText());
        assertEquals(3, j.get("done").asLong());
        assertEquals(10, j.get("total").asLong());
        assertEquals("batch 3 of 10", j.get("detail").asText());
        assertEquals("operator:op-1", j.get("requestedBy").asText());
        assertEquals("2026-11-29T08:00:00Z", j.get("createdAt").asText());
        assertEquals("2026-11-29T08:01:00Z", j.get("updatedAt").asText());
        assertEquals("2026-11-29T08:02:00Z", j.get("finishedAt").asText());
        assertFalse(j.has("result"));
        assertFalse(j.has("parameters"), "the handler's parameters are not shown");
        assertFalse(j.has("node"));
    }

    @Test
    @DisplayName("SEC-4: only an operator cancels; support is 403")
    void cancelAccess() throws Exception {
        authenticate();
        assertProblem(api.request("POST", "/api/v1/jobs/job-running-1/cancel", "X-Test-Principal: support"), 403, "forbidden");
        Resp r = api.request("POST", "/api/v1/jobs/job-running-1/cancel", "X-Test-Principal: operator");
        assertEquals(200, r.status, r.body);
        assertEquals("CANCELLED", JSON.readTree(r.body).get("state").asText());
    }

    @Test
    @DisplayName("EXT-3: cancel maps job-finished to 409 and no-such-job to 404")
    void cancelErrors() throws Exception {
        authenticate();
        Resp finished = api.request("POST", "/api/v1/jobs/job-done-1/cancel", "X-Test-Principal: operator");
        assertProblem(finished, 409, "job-finished");
        assertTrue(finished.body.contains("\"title\":\"Job finished\""), finished.body);
        assertProblem(api.request("POST", "/api/v1/jobs/job-nope-1/cancel", "X-Test-Principal: operator"), 404, "no-such-job");
        assertProblem(api.get("/api/v1/jobs/job-nope-1", "X-Test-Principal: operator"), 404, "no-such-job");
    }

    @Test
    @DisplayName("SEC-5: invalid limit, type or id are refused without echoing them")
    void invalidInput() throws Exception {
        authenticate();
        // "xyz", not "abc": the hex request id in the body may contain "abc"
        for (String q : List.of("limit=xyz", "limit=0", "limit=1001", "type=DROP%20TABLE")) {
            Resp r = api.get("/api/v1/jobs?" + q, "X-Test-Principal: operator");
            assertProblem(r, 400, "invalid-request");
            assertFalse(r.body.contains("DROP") || r.body.contains("xyz"), r.body);
        }
        Resp r = api.get("/api/v1/jobs/%3Cscript%3E", "X-Test-Principal: operator");
        assertProblem(r, 404, "no-such-job");
        assertFalse(JSON.readTree(r.body).get("detail").asText().contains("script"), r.body);
        assertEquals(401, api.get("/api/v1/jobs?limit=xyz").status, "authorisation comes before validation");
    }

    @Test
    @DisplayName("issue #15: a tenant admin lists and reads the own tenant's jobs only; another role of the tenant is refused")
    void tenantAdmins() throws Exception {
        authenticate();
        jobs.put("job-b-1", JobState.RUNNING, "tenant-b", "user:u-9");
        Resp a = api.get("/api/v1/jobs", "X-Test-Principal: admin-a");
        assertEquals(200, a.status, a.body);
        assertTrue(a.body.contains("job-running-1") && !a.body.contains("job-b-1"), a.body);
        assertProblem(api.get("/api/v1/jobs/job-b-1", "X-Test-Principal: admin-a"), 404, "no-such-job");
        assertEquals(200, api.get("/api/v1/jobs/job-b-1", "X-Test-Principal: admin-b").status);
        assertProblem(api.get("/api/v1/jobs", "X-Test-Principal: user"), 403, "forbidden");
        // another account of the tenant sees the jobs it submitted itself (an import's progress), no other
        jobs.put("job-own-1", JobState.RUNNING, "tenant-a", "user:user-1");
        assertEquals(200, api.get("/api/v1/jobs/job-own-1", "X-Test-Principal: user").status);
        assertProblem(api.get("/api/v1/jobs/job-running-1", "X-Test-Principal: user"), 404, "no-such-job");
        assertEquals(200, api.get("/api/v1/jobs?tenant=tenant-b", "X-Test-Principal: operator").status);
        assertEquals("tenant-b", jobs.listedTenant);
        assertProblem(api.get("/api/v1/jobs?tenant=../x", "X-Test-Principal: operator"), 400, "invalid-request");
    }

    @Test
    @DisplayName("issue #15: a tenant admin cancels what the tenant's accounts submitted, never the platform's work for the tenant")
    void tenantAdminCancels() throws Exception {
        authenticate();
        jobs.put("job-export-1", JobState.RUNNING, "tenant-a", "user:u-1");
        assertProblem(api.request("POST", "/api/v1/jobs/job-running-1/cancel", "X-Test-Principal: admin-a"), 403, "forbidden");
        assertEquals(JobState.RUNNING, jobs.byId.get("job-running-1").state());
        assertProblem(api.request("POST", "/api/v1/jobs/job-export-1/cancel", "X-Test-Principal: admin-b"), 404, "no-such-job");
        assertProblem(api.request("POST", "/api/v1/jobs/job-export-1/cancel", "X-Test-Principal: user"), 403, "forbidden");
        Resp ok = api.request("POST", "/api/v1/jobs/job-export-1/cancel", "X-Test-Principal: admin-a");
        assertEquals(200, ok.status, ok.body);
        assertEquals(JobState.CANCELLED, jobs.byId.get("job-export-1").state());
    }

    @Test
    @DisplayName("issue #15: an artifact downloads with its SHA-256 (Repr-Digest), as an attachment; listed on the job; 404 for others")
    void artifacts() throws Exception {
        authenticate();
        byte[] csv = "name,dept\nYamada,HR\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(csv));
        JobArtifact a = new JobArtifact("job-done-1", "tenant-a", "export.csv", "text/csv", csv.length, sha, T0, T0.plusSeconds(86400));
        jobs.artifacts.put("job-done-1/export.csv", new JobArtifactStore.Content(a, csv));
        Resp r = api.get("/api/v1/jobs/job-done-1/artifacts/export.csv", "X-Test-Principal: admin-a");
        assertEquals(200, r.status, r.body);
        assertEquals("name,dept\nYamada,HR\n", r.body);
        String digest = "sha-256=:" + java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha)) + ":";
        assertEquals(digest, r.get("Repr-Digest"));
        assertEquals("attachment; filename=\"export.csv\"", r.get("Content-Disposition"));
        assertTrue(r.get("Content-Type").startsWith("text/csv"), r.toString());
        assertEquals("nosniff", r.get("X-Content-Type-Options"));
        Resp job = api.get("/api/v1/jobs/job-done-1", "X-Test-Principal: operator");
        assertTrue(job.body.contains("\"href\":\"/api/v1/jobs/job-done-1/artifacts/export.csv\"") && job.body.contains(sha), job.body);
        assertProblem(api.get("/api/v1/jobs/job-done-1/artifacts/export.csv", "X-Test-Principal: admin-b"), 404, "no-such-artifact");
        assertProblem(api.get("/api/v1/jobs/job-done-1/artifacts/other.csv", "X-Test-Principal: operator"), 404, "no-such-artifact");
        assertProblem(api.get("/api/v1/jobs/job-done-1/artifacts/..%2Fetc", "X-Test-Principal: operator"), 404, "no-such-artifact");
        // an employee who did not submit it: the answer for a job that does not exist (no telling it exists)
        assertProblem(api.get("/api/v1/jobs/job-done-1/artifacts/export.csv", "X-Test-Principal: user"), 404, "no-such-artifact");
        assertProblem(api.get("/api/v1/jobs/no-such-job/artifacts/export.csv", "X-Test-Principal: user"), 404, "no-such-artifact");
    }
}
