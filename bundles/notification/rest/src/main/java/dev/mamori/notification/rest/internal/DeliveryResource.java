package dev.mamori.notification.rest.internal;

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

import dev.mamori.notification.NotificationService;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** The delivery log: operators all of it, tenant admins their tenant's. */
@Component(service = DeliveryResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/deliveries")
@Tag(name = "deliveries", description = "The delivery log: each recipient of each notification, per channel, with the answer")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class DeliveryResource {
    private final NotificationService notifications;

    /** @param notifications the outbox */
    @Activate
    public DeliveryResource(@Reference NotificationService notifications) {
        this.notifications = notifications;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "listDeliveries", summary = "The delivery log", description = "Newest first. Operators: all of it, or "
            + "one tenant's; tenant admins: their tenant's only (the tenant parameter is ignored). Recipients are account ids, never "
            + "addresses.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The log", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.DeliveryView.class)))))
    public List<Views.DeliveryView> list(@Parameter(description = "Operators: one tenant (id or slug)") @QueryParam("tenant") String tenant,
            @Parameter(description = "At most this many (1-500)") @QueryParam("limit") String limit) {
        return notifications.deliveries(tenant, Views.limit(limit, 100)).stream().map(Views.DeliveryView::of).toList();
    }
}
