package dev.mamori.records.rest.internal;

import java.io.InputStream;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.records.ImportRequest;
import dev.mamori.records.ImportService;
import dev.mamori.records.RecordImport;
import dev.mamori.rest.spi.BodyLimit;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;

/** Bulk imports (issue #17): the file as the body; the import runs as a job whose progress and report the jobs API shows. */
@Component(service = ImportResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/imports")
@Tag(name = "imports", description = "Bulk import of records from CSV or JSON Lines, all or nothing, as a job")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class ImportResource {
    private final ImportService imports;

    /** @param imports the import service */
    @Activate
    public ImportResource(@Reference ImportService imports) {
        this.imports = imports;
    }

    /** An accepted import. */
    @Schema(name = "RecordImport", description = "An accepted import and the job that runs it")
    public static final class ImportView {
        /** Job. */
        @Schema(description = "GET /api/v1/jobs/{jobId} for progress and the result; its artifact rejected.csv lists rejected rows")
        public String jobId;
        /** Category. */
        public String category;
        /** Format. */
        public String format;
        /** Size. */
        public long size;
        /** Accepted. */
        public java.time.Instant createdAt;
    }

    @POST
    @RequiresPermission(value = "records:write", anyScope = true)
    @BodyLimit(AttachmentResource.UPLOAD_LIMIT)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.PAYLOAD_TOO_LARGE})
    @Operation(operationId = "importRecords", summary = "Import records", description = "The body is the file: CSV (header row; "
            + "subject or employee_number or 社員番号, scope, labels, and one column per payload property, typed by the schema) or "
            + "JSON Lines (subject, scope, labels, payload per line); UTF-8 with or without BOM, or Shift_JIS (Windows-31J). "
            + "Every row is checked first; one bad row and nothing is imported (the job's rejected.csv says which line and column).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = "text/csv",
                    schema = @Schema(type = "string", format = "binary"))),
            responses = @ApiResponse(responseCode = "202", description = "Accepted: the job runs it", content = @Content(
                    mediaType = Views.JSON, schema = @Schema(implementation = ImportView.class))))
    public Response start(@Parameter(description = "Category name", required = true) @QueryParam("category") String category,
            @Parameter(description = "csv or jsonl", required = true) @QueryParam("format") String format,
            @Parameter(description = "auto (default), utf-8, shift_jis, windows-31j") @QueryParam("charset") String charset,
            InputStream body) {
        RecordImport i = imports.start(new ImportRequest(category, format, charset), body);
        ImportView v = new ImportView();
        v.jobId = i.jobId();
        v.category = i.category();
        v.format = i.format();
        v.size = i.size();
        v.createdAt = i.createdAt();
        return Response.accepted(v).header("Location", RestConstants.BASE_PATH + "/jobs/" + i.jobId()).build();
    }
}
