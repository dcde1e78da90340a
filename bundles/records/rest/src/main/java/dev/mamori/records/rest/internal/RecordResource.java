package dev.mamori.records.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.Record;
import dev.mamori.records.RecordDraft;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordPage;
import dev.mamori.records.RecordQuery;
import dev.mamori.records.RecordService;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;

/**
 * Records over REST (IAM-2, IAM-3, CRY-2): writes declare {@code records:write} in any scope (the
 * permission slot answers early), the service checks each record's own category and scope; reads
 * declare nothing here because a person also reads the records about themselves without a grant —
 * the service decides, and what the caller may not read is 404 exactly as what does not exist.
 */
@Component(service = RecordResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/records")
@Tag(name = "records", description = "Records keyed by employee number, encrypted at rest; ETag and If-Match on every change")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class RecordResource {
    private final RecordService records;

    /** @param records the records */
    @Activate
    public RecordResource(@Reference RecordService records) {
        this.records = records;
    }

    @POST
    @RequiresPermission(value = "records:write", anyScope = true)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.PAYLOAD_TOO_LARGE})
    @Operation(operationId = "createRecord", summary = "Create a record",
            description = "Needs records:write:<category>[/<scope>]. The payload must meet the category's schema (400 names the field).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.RecordRequest.class))),
            responses = @ApiResponse(responseCode = "201", description = "Created", headers = @Header(name = "ETag",
                    description = "The version", schema = @Schema(type = "string")), content = @Content(mediaType = Views.JSON,
                            schema = @Schema(implementation = Views.RecordView.class))))
    public Response create(Views.RecordRequest body) {
        Record r = records.create(draft(body));
        return Response.status(Response.Status.CREATED).tag(Versions.tag(r.version()))
                .header("Location", RestConstants.BASE_PATH + "/records/" + r.id()).entity(Views.RecordView.of(r)).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "searchRecords", summary = "Search records", description = "The records the caller may read, newest "
            + "change first, paged with after/next. Every record returned is an audit event (AUD-1).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "A page", content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.PageView.class))))
    public Views.PageView search(@Parameter(description = "Employee number") @QueryParam("subject") String subject,
            @Parameter(description = "Category name") @QueryParam("category") String category,
            @Parameter(description = "A label") @QueryParam("label") String label,
            @Parameter(description = "Changed at or after (ISO-8601 with offset)") @QueryParam("from") String from,
            @Parameter(description = "Changed before (ISO-8601 with offset)") @QueryParam("to") String to,
            @Parameter(description = "The 'next' of the previous page") @QueryParam("after") String after,
            @Parameter(description = "Page size, 1-200 (default 50)") @QueryParam("limit") String limit) {
        RecordPage page = records.search(new RecordQuery(subject, category, label, instant(from, "from"), instant(to, "to"), after,
                limit(limit)));
        Views.PageView v = new Views.PageView();
        v.items = page.items().stream().map(Views.RecordView::of).toList();
        v.next = page.next();
        return v;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "getRecord", summary = "One record", description = "Decrypted for a caller allowed to read it; "
            + "an audit event (AUD-1). 404 for another tenant's, one the caller may not read, or one in the trash.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "The record", headers = @Header(name = "ETag", description = "The version", schema = @Schema(type = "string")),
                    content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.RecordView.class))))
    public Response get(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "subjectName: add the person's name, for callers allowed to see it (the person, the "
                    + "tenant's admins)") @QueryParam("include") String include) {
        if (include != null && !include.isEmpty() && !include.equals("subjectName")) {
            throw new MamoriException(RecordErrors.INVALID_RECORD, "include: subjectName, or nothing.");
        }
        Record r = records.find(id).orElseThrow(() -> notFound());
        Views.RecordView v = Views.RecordView.of(r);
        if ("subjectName".equals(include)) {
            v.subjectName = records.subjectName(id).orElse(null);
        }
        return Response.ok(v).tag(Versions.tag(r.version())).build();
    }

    @PUT
    @Path("/{id}")
    @RequiresPermission(value = "records:write", anyScope = true)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.INVALID, ErrorKind.PAYLOAD_TOO_LARGE, ErrorKind.PRECONDITION_FAILED,
        ErrorKind.PRECONDITION_REQUIRED})
    @Operation(operationId = "updateRecord", summary = "Change a record", description = "Replaces payload, scope and labels. "
            + "If-Match must carry the ETag read: 412 if it changed meanwhile, 428 without it.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.RecordRequest.class))),
            responses = @ApiResponse(responseCode = "200", description = "The record, one version on",
                    headers = @Header(name = "ETag", description = "The new version", schema = @Schema(type = "string")),
                    content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.RecordView.class))))
    public Response update(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "The ETag read, e.g. \"3\"") @HeaderParam("If-Match") String ifMatch, Views.RecordRequest body) {
        long expected = Versions.required(ifMatch);
        Record r = records.update(id, expected, draft(body));
        return Response.ok(Views.RecordView.of(r)).tag(Versions.tag(r.version())).build();
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = "records:write", anyScope = true)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.PRECONDITION_FAILED, ErrorKind.PRECONDITION_REQUIRED})
    @Operation(operationId = "deleteRecord", summary = "Delete a record (to the trash)", description = "Gone from every view at "
            + "once; restorable from the trash until purged (RET-2). If-Match as for a change.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "In the trash", content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Views.TrashView.class))))
    public Views.TrashView delete(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "The ETag read") @HeaderParam("If-Match") String ifMatch) {
        return Views.TrashView.of(records.delete(id, Versions.required(ifMatch)));
    }

    private static RecordDraft draft(Views.RecordRequest body) {
        if (body == null) {
            throw new MamoriException(RecordErrors.INVALID_RECORD, "Send the record as JSON: category, subject, payload, scope, labels.");
        }
        String payload = body.payload == null || body.payload.isNull() ? null : body.payload.toString();
        return new RecordDraft(body.category, body.subject, payload, body.scope, body.labels == null ? Set.of() : body.labels);
    }

    private static Instant instant(String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MamoriException(RecordErrors.INVALID_RECORD, name + ": an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00+09:00.");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return 50;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MamoriException(RecordErrors.INVALID_RECORD, "limit: a number, 1-" + RecordQuery.MAX_LIMIT + ".");
        }
    }

    private static MamoriException notFound() {
        return new MamoriException(RecordErrors.NO_SUCH_RECORD, "No such record.");
    }
}
