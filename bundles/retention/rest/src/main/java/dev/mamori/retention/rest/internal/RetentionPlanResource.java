package dev.mamori.retention.rest.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.retention.RetentionErrors;
import dev.mamori.retention.RetentionService;

/** The tenant calendar's dry run (TEN-3..5). */
@Component(service = RetentionPlanResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/retention/plan")
@Tag(name = "retention", description = "The tenant calendar and legal holds")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE, ErrorKind.INVALID})
public class RetentionPlanResource {
    private final RetentionService retention;

    /** @param retention the service */
    @Activate
    public RetentionPlanResource(@Reference RetentionService retention) {
        this.retention = retention;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retentionPlan", summary = "The tenant calendar's dry run", description = "What the calendar would have "
            + "done by the end of a day (expiries, deletions, each with its rule; those a legal hold stops name it), from the tenants "
            + "as they are now; nothing is changed. Operators: every tenant; a tenant's admins: their own.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The plan", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.PlanView.class))))
    public Views.PlanView plan(@Parameter(description = "yyyy-MM-dd, from today to ten years ahead; absent: today") @QueryParam("at")
            String at) {
        LocalDate day;
        try {
            day = at == null || at.isBlank() ? null : LocalDate.parse(at.strip());
        } catch (DateTimeParseException e) {
            throw new MamoriException(RetentionErrors.INVALID_PLAN, "at: a day as yyyy-MM-dd.");
        }
        return Views.PlanView.of(retention.plan(day));
    }
}
