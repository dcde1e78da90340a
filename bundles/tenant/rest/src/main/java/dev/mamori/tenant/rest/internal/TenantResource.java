package dev.mamori.tenant.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Tenants and their lifecycle over REST (TEN-2): operators create and change them, support reads
 * their metadata (OPS-1, OPS-2), tenant users get 403. The service enforces the lifecycle rules;
 * this resource only checks who calls.
 */
@Component(service = TenantResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/tenants")
@Tag(name = "tenants", description = "Tenants and their lifecycle, for operators")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
public class TenantResource {
    private static final String JSON = MediaType.APPLICATION_JSON;

    private final TenantService tenants;

    /** @param tenants the tenant service */
    @Activate
    public TenantResource(@Reference TenantService tenants) {
        this.tenants = tenants;
    }

    /** A tenant as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Tenant", description = "A tenant's metadata")
    public static final class TenantView {
        /** Id. */
        @Schema(description = "Tenant id")
        public String id;
        /** Slug. */
        @Schema(description = "Slug")
        public String slug;
        /** Name. */
        @Schema(description = "Display name")
        public String displayName;
        /** State. */
        @Schema(description = "TRIAL, ACTIVE, EXPIRED, DELETED or PURGED")
        public String state;
        /** Plan. */
        @Schema(description = "Plan")
        public String plan;
        /** Region. */
        @Schema(description = "Data residency region")
        public String region;
        /** Trial end. */
        @Schema(description = "Last day of the trial")
        public LocalDate trialEndsOn;
        /** Contract start. */
        @Schema(description = "Contract start")
        public LocalDate contractStart;
        /** Contract end. */
        @Schema(description = "Contract end")
        public LocalDate contractEnd;
        /** Termination. */
        @Schema(description = "Recorded termination date")
        public LocalDate terminationDate;
        /** Created. */
        @Schema(description = "Created")
        public Instant createdAt;
        /** State change. */
        @Schema(description = "Last state change")
        public Instant stateChangedAt;

        static TenantView of(Tenant t) {
            TenantView v = new TenantView();
            v.id = t.id();
            v.slug = t.slug();
            v.displayName = t.displayName();
            v.state = t.state().name();
            v.plan = t.plan();
            v.region = t.region();
            v.trialEndsOn = t.trialEndsOn().orElse(null);
            v.contractStart = t.contractStart().orElse(null);
            v.contractEnd = t.contractEnd().orElse(null);
            v.terminationDate = t.terminationDate().orElse(null);
            v.createdAt = t.createdAt();
            v.stateChangedAt = t.stateChangedAt();
            return v;
        }
    }

    /** A new tenant. */
    @Schema(name = "NewTenant", description = "A new tenant: a trial unless contractStart is given")
    public static final class NewTenantRequest {
        /** Slug. */
        @Schema(description = "3-63 characters of a-z, 0-9, '-'", requiredMode = Schema.RequiredMode.REQUIRED)
        public String slug;
        /** Name. */
        @Schema(description = "Display name", requiredMode = Schema.RequiredMode.REQUIRED)
        public String displayName;
        /** Plan. */
        @Schema(description = "Plan (default trial)")
        public String plan;
        /** Region. */
        @Schema(description = "Data residency region (default jp)")
        public String region;
        /** Trial end. */
        @Schema(description = "Last day of the trial (default: the configured trial length)", format = "date")
        public String trialEndsOn;
        /** Contract start. */
        @Schema(description = "Contract start: a paid tenant", format = "date")
        public String contractStart;
        /** Contract end. */
        @Schema(description = "Contract end", format = "date")
        public String contractEnd;
    }

    /** A lifecycle change. */
    @Schema(name = "TenantChange", description = "Parameters of a lifecycle change")
    public static final class ChangeRequest {
        /** Plan. */
        @Schema(description = "activate: the plan")
        public String plan;
        /** Contract start. */
        @Schema(description = "activate: contract start (default today)", format = "date")
        public String contractStart;
        /** Contract end. */
        @Schema(description = "activate: contract end", format = "date")
        public String contractEnd;
        /** Termination date. */
        @Schema(description = "terminate: the termination date", format = "date")
        public String terminationDate;
        /** Confirmation. */
        @Schema(description = "delete: the tenant's slug again")
        public String confirmation;
    }

    @GET
    @Produces(JSON)
    @Operation(operationId = "listTenants", summary = "List tenants", description = "Operators and support.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The tenants", content = @Content(mediaType = JSON,
                        array = @ArraySchema(schema = @Schema(implementation = TenantView.class))))})
    public List<TenantView> list() {
        reader();
        return tenants.list().stream().map(TenantView::of).collect(Collectors.toList());
    }

    @GET
    @Path("/{id}")
    @Produces(JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND})
    @Operation(operationId = "getTenant", summary = "One tenant", description = "By id or slug. Operators and support.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The tenant", content = @Content(mediaType = JSON, schema = @Schema(implementation = TenantView.class)))})
    public TenantView get(@Parameter(description = "Tenant id or slug") @PathParam("id") String id) {
        reader();
        return TenantView.of(tenants.find(id).orElseThrow(() -> new TenantNotFoundException("No tenant '" + printable(id) + "'.")));
    }

    @POST
    @Consumes(JSON)
    @Produces(JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.CONFLICT})
    @Operation(operationId = "createTenant", summary = "Create a tenant", description = "Operators only.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = JSON, schema = @Schema(implementation = NewTenantRequest.class))),
            responses = {
                @ApiResponse(responseCode = "201", description = "Created", content = @Content(mediaType = JSON, schema = @Schema(implementation = TenantView.class)))})
    public Response create(NewTenantRequest body) {
        operator();
        if (body == null || body.slug == null || body.displayName == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send slug and displayName as JSON.");
        }
        NewTenant.Builder b = NewTenant.builder(body.slug, body.displayName);
        if (body.plan != null) {
            b.plan(body.plan);
        }
        if (body.region != null) {
            b.region(body.region);
        }
        if (body.contractStart != null) {
            b.paid(date(body.contractStart, "contractStart"), date(body.contractEnd, "contractEnd"));
        } else if (body.trialEndsOn != null) {
            b.trialEndsOn(date(body.trialEndsOn, "trialEndsOn"));
        }
        Tenant t = tenants.create(b.build());
        return Response.status(Response.Status.CREATED).entity(TenantView.of(t))
                .header("Location", RestConstants.BASE_PATH + "/tenants/" + t.id()).build();
    }

    @POST
    @Path("/{id}/{change: activate|expire|terminate|delete}")
    @Consumes(JSON)
    @Produces(JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "changeTenant", summary = "Move a tenant through its lifecycle",
            description = "activate (plan, contractStart, contractEnd), expire, terminate (terminationDate), delete (confirmation = slug). Operators only.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(content = @Content(mediaType = JSON, schema = @Schema(implementation = ChangeRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = JSON, schema = @Schema(implementation = TenantView.class)))})
    public TenantView change(@Parameter(description = "Tenant id or slug") @PathParam("id") String id,
            @Parameter(description = "The lifecycle change", schema = @Schema(type = "string",
                    allowableValues = {"activate", "expire", "terminate", "delete"})) @PathParam("change") String change, ChangeRequest body) {
        operator();
        ChangeRequest c = body == null ? new ChangeRequest() : body;
        switch (change) {
            case "activate":
                if (c.plan == null) {
                    throw new MamoriException(PlatformErrors.INVALID, "activate needs a plan.");
                }
                return TenantView.of(tenants.activate(id, c.plan, date(c.contractStart, "contractStart"), date(c.contractEnd, "contractEnd")));
            case "expire":
                return TenantView.of(tenants.expire(id));
            case "terminate":
                if (c.terminationDate == null) {
                    throw new MamoriException(PlatformErrors.INVALID, "terminate needs a terminationDate.");
                }
                return TenantView.of(tenants.terminate(id, date(c.terminationDate, "terminationDate")));
            default:
                return TenantView.of(tenants.delete(id, c.confirmation));
        }
    }

    /** Operators and support read tenant metadata (OPS-1, OPS-2). */
    private static void reader() {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT);
    }

    /** Only operators change tenants. */
    private static void operator() {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR);
    }

    private static LocalDate date(String s, String field) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new MamoriException(PlatformErrors.INVALID, field + " is a date like 2027-03-31, not '" + printable(s) + "'.");
        }
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
