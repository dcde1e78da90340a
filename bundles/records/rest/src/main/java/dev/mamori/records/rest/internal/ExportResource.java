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
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;
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

    /** What an export is asked for with (the document's view of {@link ExportBody}). */
    @Schema(name = "ExportRequest", description = "An export; without a passphrase the ZIP is protected in transit only")
    public static final class ExportRequestView {
        /** Passphrase. */
        @Schema(description = "Encrypts the ZIP as an OpenPGP message (AES-256, gpg --decrypt opens it): 12 to 256 characters, "
                + "no control characters; leave the member out for a plain ZIP (null is refused)",
                minLength = ExportService.MIN_PASSPHRASE, maxLength = ExportService.MAX_PASSPHRASE, writeOnly = true)
        public String passphrase;
    }

    /**
     * The body as read. A passphrase that is present must be a string: {@code null}, a number or
     * anything else is refused rather than read as "no passphrase" (an outside attack got a plain ZIP
     * for {@code {"passphrase": null}}).
     */
    public static final class ExportBody {
        private String passphrase;
        private boolean passphraseInvalid;

        /** @param value the member as sent */
        @com.fasterxml.jackson.annotation.JsonSetter("passphrase")
        public void setPassphrase(com.fasterxml.jackson.databind.JsonNode value) {
            if (value != null && value.isTextual()) {
                passphrase = value.textValue();
            } else {
                passphraseInvalid = true;
            }
        }
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
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.CONFLICT, ErrorKind.TOO_MANY_REQUESTS})
    @Operation(operationId = "exportTenant", summary = "Export the tenant", description = "Tenant admins. Everything the tenant "
            + "holds - categories and schemas, records (the trash too), attachments, users with their personal data, the audit log "
            + "with its checkpoints - as one ZIP whose manifest.json lists every file's size and SHA-256, written by a job in "
            + "constant memory. Only the tenant's own accounts download it (never operators or support). Body {} for a plain ZIP. One "
            + "export per tenant at a time (409 while another is open), at most export.per.day in 24 hours (429).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = ExportRequestView.class))),
            responses = @ApiResponse(responseCode = "202", description = "Accepted: the job writes it", content = @Content(
                    mediaType = Views.JSON, schema = @Schema(implementation = ExportView.class))))
    public Response start(@io.swagger.v3.oas.annotations.Parameter(hidden = true) ExportBody body) {
        if (body == null) {
            throw new MamoriException(RecordErrors.INVALID_EXPORT, "Send {} for a plain ZIP, or {\"passphrase\": \"...\"}.");
        }
        if (body.passphraseInvalid) {
            throw new MamoriException(RecordErrors.INVALID_EXPORT, "passphrase: a string of " + ExportService.MIN_PASSPHRASE + " to "
                    + ExportService.MAX_PASSPHRASE + " characters; leave it out for a plain ZIP.");
        }
        RecordExport e = exports.start(new ExportRequest(body.passphrase));
        ExportView v = new ExportView();
        v.jobId = e.jobId();
        v.artifact = e.artifact();
        v.encrypted = e.encrypted();
        v.personalData = e.personalData();
        v.createdAt = e.createdAt();
        return Response.accepted(v).header("Location", RestConstants.BASE_PATH + "/jobs/" + e.jobId()).build();
    }
}
