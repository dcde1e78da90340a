package dev.mamori.records.rest.internal;

import java.util.List;

import javax.ws.rs.DELETE;
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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.records.TrashService;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** The tenant's trash (RET-2): list and restore for whoever may write the record, purge for its admins (the service checks). */
@Component(service = TrashResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/trash")
@Tag(name = "trash", description = "Deleted records: restorable until the trash period ends, then purged for good")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class TrashResource {
    private final TrashService trash;

    /** @param trash the trash */
    @Activate
    public TrashResource(@Reference TrashService trash) {
        this.trash = trash;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listTrash", summary = "List the trash", description = "Items the caller may restore (all of them "
            + "for tenant admins), oldest deletion first; metadata only.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The items", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.TrashView.class)))))
    public List<Views.TrashView> list() {
        return trash.list().stream().map(Views.TrashView::of).toList();
    }

    @POST
    @Path("/{id}/restore")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "restoreRecord", summary = "Restore a record", description = "Back in every view, at the version it "
            + "had; the answer carries no payload (read the record for it).", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "Restored", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.RecordView.class))))
    public Response restore(@Parameter(description = "Record id") @PathParam("id") String id) {
        var r = trash.restore(id);
        return Response.ok(Views.RecordView.of(r)).tag(Versions.tag(r.version())).build();
    }

    @DELETE
    @Path("/{id}")
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "purgeRecord", summary = "Purge one record for good", description = "Tenant admins. Rows deleted, "
            + "the purge ledger and the audit log say so.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "204", description = "Purged"))
    public Response purge(@Parameter(description = "Record id") @PathParam("id") String id) {
        trash.purge(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/purge")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "purgeTrash", summary = "Empty the trash for good", description = "Tenant admins: every item, now.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "How many were purged", content = @Content(mediaType = Views.JSON,
                            schema = @Schema(implementation = Views.PurgedView.class))))
    public Views.PurgedView purgeAll() {
        Views.PurgedView v = new Views.PurgedView();
        v.purged = trash.purgeAll();
        return v;
    }
}
