package dev.mamori.records.rest.internal;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
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
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.CategoryDefinition;
import dev.mamori.records.CategoryService;
import dev.mamori.records.RecordErrors;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** The tenant's record categories (TEN-7): its accounts read them, its admins define and remove them (the service checks). */
@Component(service = CategoryResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/categories")
@Tag(name = "categories", description = "Record categories of the tenant, each with the JSON Schema of its payloads")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class CategoryResource {
    private final CategoryService categories;

    /** @param categories the categories */
    @Activate
    public CategoryResource(@Reference CategoryService categories) {
        this.categories = categories;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listCategories", summary = "List categories", description = "The tenant's categories, by name.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "The categories", content = @Content(mediaType = Views.JSON,
                            array = @ArraySchema(schema = @Schema(implementation = Views.CategoryView.class)))))
    public List<Views.CategoryView> list() {
        return categories.list().stream().map(Views.CategoryView::of).toList();
    }

    @GET
    @Path("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "getCategory", summary = "One category", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The category",
                    content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.CategoryView.class))))
    public Views.CategoryView get(@Parameter(description = "Category name") @PathParam("name") String name) {
        return categories.find(name).map(Views.CategoryView::of).orElseThrow(() -> notFound(name));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.PRECONDITION_FAILED})
    @Operation(operationId = "defineCategory", summary = "Create or change a category",
            description = "Tenant admins. The schema is checked against its draft's meta-schema; only references inside it are "
                    + "allowed. A change applies to records written afterwards.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.CategoryRequest.class))),
            responses = @ApiResponse(responseCode = "200", description = "The category as stored",
                    content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.CategoryView.class))))
    public Views.CategoryView define(@Parameter(description = "Category name: a-z, 0-9, '-'") @PathParam("name") String name,
            Views.CategoryRequest body) {
        if (body == null) {
            throw new MamoriException(RecordErrors.INVALID_CATEGORY, "Send title and schema as JSON.");
        }
        String schema = body.schema == null || body.schema.isNull() ? null : body.schema.toString();
        return Views.CategoryView.of(categories.define(new CategoryDefinition(name, body.title, schema, body.retentionDays,
                body.onErasure)));
    }

    @DELETE
    @Path("/{name}")
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "removeCategory", summary = "Remove a category", description = "Tenant admins; only a category "
            + "that holds no record, counting the trash.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "204", description = "Removed"))
    public Response remove(@Parameter(description = "Category name") @PathParam("name") String name) {
        categories.remove(name);
        return Response.noContent().build();
    }

    private static MamoriException notFound(String name) {
        return new MamoriException(RecordErrors.NO_SUCH_CATEGORY, "No such category in this tenant.");
    }
}
