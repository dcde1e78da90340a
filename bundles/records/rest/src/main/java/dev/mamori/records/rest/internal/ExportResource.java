package dev.mamori.records.rest.internal;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.records.ExportRequest;
import dev.mamori.records.ExportService;
import dev.mamori.records.RecordExport;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** Tenant exports (issue #17, BAK-5): started here, run as a job; the file is the job's artifact. */
@Component(service = ExportResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/exports")
@Tag(name = "exports", description = "Everything the tenant holds as one ZIP with a manifest of SHA-256 hashes, optionally "
        + "encrypted with a passphrase (OpenPGP), as a job")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class ExportResource {
    private final ExportService exports;

    /** @param exports the export service */
    @Activate
    public ExportResource(@Reference ExportService exports) {
        this.exports = exports;
    }

    /** What an export is asked for with. */
    @Schema(name = "ExportRequest", description = "An export; without a passphrase the ZIP is protected in transit only")
    public static final class ExportBody {
        /** Passphrase. */
        @Schema(description = "Encrypts the ZIP as an OpenPGP message (AES-256, gpg --decrypt opens it): 12 to 256 characters",
                minLength = ExportService.MIN_PASSPHRASE, maxLength = ExportService.MAX_PASSPHRASE, writeOnly = true)
        public String passphrase;
    }

    /** An export started. */
    @Schema(name = "RecordExport", description = "An export and the job that writes it")
    public static final class ExportView {
        /** Job. */
        @Schema(description = "GET /api/v1/jobs/{jobId} for progress and the result (hashes, counts); when DONE, GET "
                + "/api/v1/jobs/{jobId}/artifacts/{artifact} downloads the file")
        public String jobId;
        /** Artifact. */
        @Schema(description = "export.zip, or export.zip.gpg with a passphrase")
        public String artifact;
        /** Encrypted. */
        public boolean encrypted;
        /** Personal data. */
        @Schema(description = "Whether users' personal data is in it (a tenant admin's export)")
        public boolean personalData;
        /** Started. */
        public java.time.Instant createdAt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.CONFLICT})
    @Operation(operationId = "exportTenant", summary = "Export the tenant", description = "Tenant admins. Everything the tenant "
            + "holds - categories and schemas, records (the trash too), attachments, users with their personal data, the audit log "
            + "with its checkpoints - as one ZIP whose manifest.json lists every file's size and SHA-256, written by a job in "
            + "constant memory. Only the tenant's own accounts download it (never operators or support). Body {} for a plain ZIP. One "
            + "export per tenant at a time (409 while another is open).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = ExportBody.class))),
            responses = @ApiResponse(responseCode = "202", description = "Accepted: the job writes it", content = @Content(
                    mediaType = Views.JSON, schema = @Schema(implementation = ExportView.class))))
    public Response start(ExportBody body) {
        RecordExport e = exports.start(new ExportRequest(body == null ? null : body.passphrase));
        ExportView v = new ExportView();
        v.jobId = e.jobId();
        v.artifact = e.artifact();
        v.encrypted = e.encrypted();
        v.personalData = e.personalData();
        v.createdAt = e.createdAt();
        return Response.accepted(v).header("Location", RestConstants.BASE_PATH + "/jobs/" + e.jobId()).build();
    }
}
