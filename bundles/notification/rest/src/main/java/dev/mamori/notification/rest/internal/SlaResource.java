package dev.mamori.notification.rest.internal;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

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
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.SlaService;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** Monthly availability (OPS-5). */
@Component(service = SlaResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/sla")
@Tag(name = "sla", description = "Availability per calendar month, measured every minute, announced maintenance left out")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE, ErrorKind.INVALID})
public class SlaResource {
    private final SlaService sla;

    /** @param sla the service */
    @Activate
    public SlaResource(@Reference SlaService sla) {
        this.sla = sla;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "availability", summary = "A month's availability", description = "Operators: the platform's, or a "
            + "tenant's (which also counts the outages of incidents that affected it); a tenant's admins: their own.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The month", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.AvailabilityView.class))))
    public Views.AvailabilityView report(@Parameter(description = "yyyy-MM; absent: this month so far") @QueryParam("month") String month,
            @Parameter(description = "Operators: a tenant (id or slug)") @QueryParam("tenant") String tenant) {
        return Views.AvailabilityView.of(sla.report(month(month), tenant));
    }

    @GET
    @Path("/all")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "availabilityAll", summary = "A month's availability, everywhere", description = "Operators: the "
            + "platform's and every tenant's.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The month", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.AvailabilityView.class)))))
    public List<Views.AvailabilityView> all(@Parameter(description = "yyyy-MM; absent: this month so far") @QueryParam("month") String month) {
        return sla.all(month(month)).stream().map(Views.AvailabilityView::of).toList();
    }

    private static YearMonth month(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return YearMonth.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw new MamoriException(NotificationErrors.INVALID_NOTIFICATION, "month: yyyy-MM, e.g. 2026-11.");
        }
    }
}
