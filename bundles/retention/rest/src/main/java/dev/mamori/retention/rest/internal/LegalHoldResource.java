package dev.mamori.retention.rest.internal;

import java.util.List;

import javax.ws.rs.Consumes;
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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.retention.LegalHold;
import dev.mamori.retention.LegalHoldService;
import dev.mamori.retention.NewHold;
import dev.mamori.retention.RetentionErrors;

/** Legal holds (RET-5): operators on any tenant, a tenant's admins on their own (the service checks). */
@Component(service = LegalHoldResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/legal-holds")
@Tag(name = "retention", description = "The tenant calendar and legal holds")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class LegalHoldResource {
    private final LegalHoldService holds;

    /** @param holds the service */
    @Activate
    public LegalHoldResource(@Reference LegalHoldService holds) {
        this.holds = holds;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "listLegalHolds", summary = "List legal holds", description = "Those in force, newest first (the newest "
            + "500); with released=true released ones too. Operators: every tenant's or one's; a tenant's admins: their own.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The holds", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.HoldView.class)))))
    public List<Views.HoldView> list(@Parameter(description = "Operators: one tenant (id or slug)") @QueryParam("tenant") String tenant,
            @Parameter(description = "true: released holds too") @QueryParam("released") String released) {
        return holds.list(tenant, Views.flag("released", released, RetentionErrors.INVALID_HOLD)).stream().map(Views.HoldView::of)
                .toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "placeLegalHold", summary = "Place a legal hold", description = "On the whole tenant, a record category "
            + "or a subject (employee number). Operators name the tenant (a legal request: only operators release it); a tenant's "
            + "admins hold their own tenant's data. Audited.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.HoldRequest.class))),
            responses = @ApiResponse(responseCode = "201", description = "Placed", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.HoldView.class))))
    public Response place(@Parameter(hidden = true) Views.HoldRequest b) {
        if (b == null) {
            throw new MamoriException(RetentionErrors.INVALID_HOLD, "Send {\"scope\": \"TENANT|CATEGORY|SUBJECT\", \"reason\": \"...\"}.");
        }
        LegalHold h = holds.place(new NewHold(b.tenant, b.scope, b.value, b.reason));
        return Response.status(Response.Status.CREATED).entity(Views.HoldView.of(h)).build();
    }

    @POST
    @Path("/{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "releaseLegalHold", summary = "Release a legal hold", description = "Saying why; the rules apply again "
            + "from their next run. A tenant's admins release their tenant's own holds, never an operator's. Audited.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.ReleaseRequest.class))),
            responses = @ApiResponse(responseCode = "200", description = "Released", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.HoldView.class))))
    public Views.HoldView release(@Parameter(description = "Hold id") @PathParam("id") String id,
            @Parameter(hidden = true) Views.ReleaseRequest b) {
        if (b == null) {
            throw new MamoriException(RetentionErrors.INVALID_HOLD, "Send {\"reason\": \"...\"}.");
        }
        return Views.HoldView.of(holds.release(id, b.reason));
    }
}
