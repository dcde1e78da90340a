package dev.mamori.records.rest.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
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

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.records.RecordService;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** Counts of a tenant's records: metadata for operators, support staff and the tenant's admins (OPS-1, OPS-2). */
@Component(service = RecordCountResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/record-counts")
@Tag(name = "records", description = "Records keyed by employee number, encrypted at rest; ETag and If-Match on every change")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.UNAVAILABLE})
public class RecordCountResource {
    private final RecordService records;

    /** @param records the records */
    @Activate
    public RecordCountResource(@Reference RecordService records) {
        this.records = records;
    }

    @GET
    @Path("/{tenant}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "countRecords", summary = "Count a tenant's records", description = "Per category, live and in the "
            + "trash: metadata only (OPS-1, OPS-2). Operators and support staff, or the tenant's admins for their own.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "Counts", content = @Content(mediaType = Views.JSON,
                            array = @ArraySchema(schema = @Schema(implementation = Views.CountView.class)))))
    public List<Views.CountView> count(@Parameter(description = "Tenant id or slug") @PathParam("tenant") String tenant) {
        return records.count(tenant).stream().map(Views.CountView::of).toList();
    }
}
