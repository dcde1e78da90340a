package dev.mamori.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobService;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The platform's durable background jobs over REST: list, inspect, cancel, download artifacts.
 * Operators and support read every job; a tenant's admins read their own tenant's (the job
 * service scopes every call by the caller, so another tenant's job is "no such job"). Operators
 * cancel any job; a tenant admin cancels the jobs the tenant's own accounts submitted, never the
 * platform's work for the tenant (a key rotation's re-encryption). Every call checks the
 * principal the authentication slot put into the execution context first, so without one it
 * answers 401 (fail closed).
 */
@Component(service = JobResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/jobs")
@Tag(name = "jobs", description = "Durable background jobs of the platform: progress, results, cancellation")
@SecurityScheme(name = RestConstants.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A bearer token of an operator, support or tenant-admin account")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
public class JobResource {
    /** Jobs listed when the caller gives no limit. */
    static final int DEFAULT_LIMIT = 50;
    /** Most jobs one call lists. */
    static final int MAX_LIMIT = 1000;
    // the job service's own rules: dotted lower-case type names, ids of at most 36 characters
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,36}");
    private static final Pattern ARTIFACT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The tenant role that reads its tenant's jobs (the auth bundle's {@code Roles.TENANT_ADMIN}). */
    static final String TENANT_ADMIN = "tenant-admin";

    private final JobService jobs;

    /** @param jobs the platform's job service */
    @Activate
    public JobResource(@Reference JobService jobs) {
        this.jobs = jobs;
    }

    /** A job as the API shows it; instants in ISO-8601 UTC, absent values left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "type", "tenantId", "state", "done", "total", "detail", "result", "requestedBy",
        "createdAt", "updatedAt", "finishedAt", "artifacts"})
    @Schema(name = "Job", description = "A durable background job")
    public static final class JobView {
        /** Job id. */
        @Schema(description = "Job id")
        public String id;
        /** Job type. */
        @Schema(description = "Job type, e.g. vault.reencrypt")
        public String type;
        /** Tenant, if any. */
        @Schema(description = "Tenant the job works for, if any")
        public String tenantId;
        /** State. */
        @Schema(description = "QUEUED, RUNNING, WAITING, DONE, FAILED or CANCELLED")
        public String state;
        /** Work done. */
        @Schema(description = "Work done so far")
        public long done;
        /** Total work, if known. */
        @Schema(description = "Total work, if known")
        public Long total;
        /** What it does, waits for, or why it failed. */
        @Schema(description = "What it does, waits for, or why it failed")
        public String detail;
        /** Result of a finished job. */
        @Schema(description = "Result of a finished job")
        public String result;
        /** Who submitted it. */
        @Schema(description = "Who submitted it (kind:id)")
        public String requestedBy;
        /** Submitted. */
        @Schema(description = "When it was submitted")
        public Instant createdAt;
        /** Last change. */
        @Schema(description = "When it last changed")
        public Instant updatedAt;
        /** Ended, if it did. */
        @Schema(description = "When it ended, if it did")
        public Instant finishedAt;
        /** Its artifacts (one job's view only). */
        @Schema(description = "Files the job produced, to download (in the view of one job only)")
        public List<ArtifactView> artifacts;

        static JobView of(JobInfo j) {
            JobView v = new JobView();
            v.id = j.id();
            v.type = j.type();
            v.tenantId = j.tenantId();
            v.state = j.state().name();
            v.done = j.done();
            v.total = j.total();
            v.detail = j.detail();
            v.result = j.result();
            v.requestedBy = j.requestedBy();
            v.createdAt = j.createdAt();
            v.updatedAt = j.updatedAt();
            v.finishedAt = j.finishedAt();
            return v;
        }
    }

    /** A file a job produced. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "mediaType", "size", "sha256", "createdAt", "expiresAt", "href"})
    @Schema(name = "JobArtifact", description = "A file a job produced, encrypted at rest; removed once it expires")
    public static final class ArtifactView {
        /** File name. */
        @Schema(description = "File name")
        public String name;
        /** Media type. */
        @Schema(description = "Media type, e.g. text/csv")
        public String mediaType;
        /** Size. */
        @Schema(description = "Size in bytes")
        public long size;
        /** SHA-256. */
        @Schema(description = "SHA-256 of the content, lower-case hex")
        public String sha256;
        /** Stored. */
        @Schema(description = "When it was stored")
        public Instant createdAt;
        /** Removed after. */
        @Schema(description = "When it expires and is removed")
        public Instant expiresAt;
        /** Where to download it. */
        @Schema(description = "Path to download it")
        public String href;

        static ArtifactView of(JobArtifact a) {
            ArtifactView v = new ArtifactView();
            v.name = a.name();
            v.mediaType = a.mediaType();
            v.size = a.size();
            v.sha256 = a.sha256();
            v.createdAt = a.createdAt();
            v.expiresAt = a.expiresAt();
            v.href = "/api/v1/jobs/" + a.jobId() + "/artifacts/" + a.name();
            return v;
        }
    }

    /**
     * @param type  only jobs of this type, or null
     * @param limit at most this many (1 to 1000, default 50)
     * @return jobs, newest first
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID})
    @Operation(operationId = "listJobs", summary = "List jobs",
            description = "Jobs newest first, optionally of one type or tenant. Operators and support see every job, "
                    + "a tenant admin the own tenant's.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The jobs",
                        content = @Content(mediaType = "application/json",
                                array = @ArraySchema(schema = @Schema(implementation = JobView.class))))})
    public List<JobView> list(
            @Parameter(description = "Only jobs of this type, e.g. vault.reencrypt") @QueryParam("type") String type,
            @Parameter(description = "Only jobs of this tenant (its id)") @QueryParam("tenant") String tenant,
            @Parameter(description = "At most this many jobs (1-1000)",
                    schema = @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "50"))
            @QueryParam("limit") String limit) {
        readable();
        if (type != null && (type.length() > 100 || !TYPE.matcher(type).matches())) {
            throw new MamoriException(PlatformErrors.INVALID, "A job type is dotted lower-case words, e.g. vault.reencrypt.");
        }
        if (tenant != null && !validId(tenant)) {
            throw new MamoriException(PlatformErrors.INVALID, "A tenant id is at most 36 letters, digits and dashes.");
        }
        return jobs.list(type, tenant, limit(limit)).stream().map(JobView::of).collect(Collectors.toList());
    }

    /**
     * @param id job id
     * @return the job
     */
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND})
    @Operation(operationId = "getJob", summary = "Get a job", description = "One job, its progress and its artifacts. "
            + "Operators and support; a tenant admin for the own tenant's jobs; any account for the jobs it submitted.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The job", content = @Content(
                        mediaType = "application/json", schema = @Schema(implementation = JobView.class)))})
    public JobView get(@Parameter(description = "Job id") @PathParam("id") String id) {
        JobView v = JobView.of(visible(id));
        v.artifacts = jobs.artifacts(id).stream().map(ArtifactView::of).collect(Collectors.toList());
        return v;
    }

    /**
     * @param id   job id
     * @param name artifact name
     * @return the file, with its SHA-256 in {@code Repr-Digest} and an ETag
     */
    @GET
    @Path("/{id}/artifacts/{name}")
    @Produces(MediaType.WILDCARD)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.UNAVAILABLE})
    @Operation(operationId = "getJobArtifact", summary = "Download a job's artifact",
            description = "The file, decrypted and checked against its SHA-256 (given in Repr-Digest, RFC 9530), streamed. Whoever "
                    + "may see the job - except that the artifacts of jobs that hold the tenant's data (exports) are only for the "
                    + "tenant's own accounts, never for operators or support; every download is recorded as an event.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {@ApiResponse(responseCode = "200", description = "The file")})
    public Response artifact(@Parameter(description = "Job id") @PathParam("id") String id,
            @Parameter(description = "Artifact name") @PathParam("name") String name) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT, PrincipalKind.USER);
        if (!validId(id) || name == null || !ARTIFACT.matcher(name).matches()) {
            throw noSuchArtifact();
        }
        if (jobs.find(id).isEmpty()) {
            throw noSuchArtifact();
        }
        try {
            visible(id);
        } catch (MamoriException e) {
            if (e.errorCode().equals(PlatformErrors.NO_SUCH_JOB)) {
                throw noSuchArtifact();
            }
            throw e;
        }
        JobArtifactStore.Download c = jobs.download(id, name).orElseThrow(JobResource::noSuchArtifact);
        byte[] sha = java.util.HexFormat.of().parseHex(c.artifact().sha256());
        // streamed: an export of any size in constant memory, checked against its hash as it goes
        javax.ws.rs.core.StreamingOutput body = out -> c.content().writeTo(out);
        return Response.ok(body, c.artifact().mediaType())
                .header("Content-Length", c.artifact().size())
                .header("Content-Disposition", "attachment; filename=\"" + c.artifact().name() + "\"")
                .header("Repr-Digest", "sha-256=:" + java.util.Base64.getEncoder().encodeToString(sha) + ":")
                .header("ETag", "\"" + c.artifact().sha256() + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * @param id job id
     * @return the job, cancelled
     */
    @POST
    @Path("/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "cancelJob", summary = "Cancel a job",
            description = "Cancels an open job; a step in flight finishes first (or stops at its next heartbeat), no further "
                    + "step runs. Operators; a tenant admin for jobs the own tenant's accounts submitted.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The job, cancelled", content = @Content(
                        mediaType = "application/json", schema = @Schema(implementation = JobView.class)))})
    public JobView cancel(@Parameter(description = "Job id") @PathParam("id") String id) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.USER);
        if (p.kind() == PrincipalKind.USER) {
            tenantAdmin(p);
        }
        if (!validId(id)) {
            throw noSuchJob();
        }
        // the job service keeps the platform's work for a tenant out of the tenant's hands
        return JobView.of(jobs.cancel(id));
    }

    /**
     * A job the caller may see: operators and support any, a tenant's admins their tenant's, any other
     * account of the tenant the jobs it submitted itself (an import's progress and report).
     */
    private JobInfo visible(String id) {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT, PrincipalKind.USER);
        if (!validId(id)) {
            throw noSuchJob();
        }
        JobInfo job = jobs.find(id).orElseThrow(JobResource::noSuchJob);
        if (p.kind() == PrincipalKind.USER && !p.hasRole(TENANT_ADMIN) && !("user:" + p.id()).equals(job.requestedBy())) {
            // the same answer as for an id that does not exist: an employee cannot tell another's job exists (outside attack)
            throw noSuchJob();
        }
        return job;
    }

    private static void readable() {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT, PrincipalKind.USER);
        if (p.kind() == PrincipalKind.USER) {
            tenantAdmin(p);
        }
    }

    private static void tenantAdmin(Principal p) {
        if (!p.hasRole(TENANT_ADMIN)) {
            throw new MamoriException(PlatformErrors.FORBIDDEN, "Jobs are for operators, support and tenant admins.");
        }
    }

    private static MamoriException noSuchArtifact() {
        return new MamoriException(PlatformErrors.NO_SUCH_ARTIFACT, "No artifact with this name for this job (or it expired).");
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like any other value out of range
        }
        throw new MamoriException(PlatformErrors.INVALID, "limit is a whole number from 1 to " + MAX_LIMIT + ".");
    }

    private static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    // the caller's id is not echoed: it may be anything
    private static MamoriException noSuchJob() {
        return new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job with this id.");
    }
}
