package dev.mamori.records.rest.internal;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

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
import dev.mamori.records.Attachment;
import dev.mamori.records.AttachmentContent;
import dev.mamori.records.AttachmentService;
import dev.mamori.records.RecordErrors;
import dev.mamori.rest.spi.BodyLimit;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;

/**
 * A record's files (CRY-2, SEC-3): the upload is the request body as it is, its Content-Type the
 * file's type (checked against its first bytes), its name a query parameter kept for display only;
 * downloads stream as attachments that browsers never render inline. The service checks the record's
 * permissions; the upload declares the writers' permission in any scope and the REST server's
 * ceiling as its body limit (the configured attachment limit is enforced as the body streams).
 */
@Component(service = AttachmentResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/records/{id}/attachments")
@Tag(name = "records", description = "Records keyed by employee number, encrypted at rest; ETag and If-Match on every change")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.UNAVAILABLE})
public class AttachmentResource {
    /** The REST server's default ceiling (dev.mamori.rest max.body.bytes.ceiling); the service's own limit is lower. */
    static final long UPLOAD_LIMIT = 32L * 1024 * 1024;
    private final AttachmentService attachments;

    /** @param attachments the attachments */
    @Activate
    public AttachmentResource(@Reference AttachmentService attachments) {
        this.attachments = attachments;
    }

    /** An attachment. */
    @Schema(name = "Attachment", description = "A file attached to a record: metadata")
    public static final class AttachmentView {
        /** Id. */
        public String id;
        /** Record. */
        public String recordId;
        /** Name. */
        @Schema(description = "The file name as given, for display")
        public String name;
        /** Type. */
        public String mediaType;
        /** Size. */
        public long size;
        /** Hash. */
        @Schema(description = "SHA-256 of the content, hex")
        public String sha256;
        /** Added. */
        public java.time.Instant createdAt;
        /** Adder. */
        public String createdBy;

        static AttachmentView of(Attachment a) {
            AttachmentView v = new AttachmentView();
            v.id = a.id();
            v.recordId = a.recordId();
            v.name = a.name();
            v.mediaType = a.mediaType();
            v.size = a.size();
            v.sha256 = a.sha256();
            v.createdAt = a.createdAt();
            v.createdBy = a.createdBy();
            return v;
        }
    }

    @POST
    @RequiresPermission(value = "records:write", anyScope = true)
    @BodyLimit(UPLOAD_LIMIT)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.PAYLOAD_TOO_LARGE})
    @Operation(operationId = "addAttachment", summary = "Attach a file to a record", description = "The body is the file; its "
            + "Content-Type one of the configured types (application/pdf, image/png, image/jpeg, text/plain, text/csv as shipped), "
            + "checked against its first bytes; at most attachment.max.mib (20). Needs what changing the record needs.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = "string", format = "binary"))),
            responses = @ApiResponse(responseCode = "201", description = "Attached", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = AttachmentView.class))))
    public Response add(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "The file's name, for display (its path is cut off)") @QueryParam("name") String name,
            @HeaderParam("Content-Type") String type, InputStream body) {
        if (name == null || name.isBlank()) {
            throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "name: pass the file's name as a query parameter.");
        }
        Attachment a = attachments.add(id, name, type, body);
        return Response.status(Response.Status.CREATED).entity(AttachmentView.of(a))
                .header("Location", RestConstants.BASE_PATH + "/records/" + id + "/attachments/" + a.id()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAttachments", summary = "A record's attachments", description = "Metadata, oldest first; "
            + "404 where the record is not readable.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The attachments", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = AttachmentView.class)))))
    public List<AttachmentView> list(@Parameter(description = "Record id") @PathParam("id") String id) {
        return attachments.list(id).stream().map(AttachmentView::of).toList();
    }

    @GET
    @Path("/{attachment}")
    @Produces(MediaType.WILDCARD)
    @Operation(operationId = "getAttachment", summary = "Download an attachment", description = "Streamed, decrypted as it goes; "
            + "always as a download (Content-Disposition: attachment); an audit event (AUD-1).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "200",
                    description = "The file", content = @Content(mediaType = "application/octet-stream",
                            schema = @Schema(type = "string", format = "binary"))))
    public Response get(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "Attachment id") @PathParam("attachment") String attachment) {
        AttachmentContent c = attachments.open(id, attachment).orElseThrow(
                () -> new MamoriException(RecordErrors.NO_SUCH_ATTACHMENT, "No such attachment of this record."));
        StreamingOutput body = out -> {
            try (c) {
                c.stream().transferTo(out);
            }
        };
        Attachment a = c.attachment();
        return Response.ok(body, a.mediaType()).header("Content-Length", a.size())
                .header("Content-Disposition", disposition(a.name())).header("X-Content-Type-Options", "nosniff")
                .header("Repr-Digest", "sha-256=:" + java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of()
                        .parseHex(a.sha256())) + ":").build();
    }

    @DELETE
    @Path("/{attachment}")
    @RequiresPermission(value = "records:write", anyScope = true)
    @Operation(operationId = "removeAttachment", summary = "Remove an attachment for good",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME), responses = @ApiResponse(responseCode = "204",
                    description = "Removed"))
    public Response remove(@Parameter(description = "Record id") @PathParam("id") String id,
            @Parameter(description = "Attachment id") @PathParam("attachment") String attachment) {
        attachments.remove(id, attachment);
        return Response.noContent().build();
    }

    /** RFC 6266: an ASCII fallback and the UTF-8 name; nothing in it can end the header or add a parameter. */
    static String disposition(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char ch : name.toCharArray()) {
            ascii.append(ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != ';' ? ch : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
