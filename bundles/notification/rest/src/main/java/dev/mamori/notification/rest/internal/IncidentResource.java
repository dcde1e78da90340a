package dev.mamori.notification.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
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

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentChange;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** Incidents, for operators (NTF-1..3): the service refuses everyone else. */
@Component(service = IncidentResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/incidents")
@Tag(name = "incidents", description = "Operators: incidents, their 72-hour notice and 24-hour progress clocks, notices to the "
        + "affected tenants")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class IncidentResource {
    private static final Pattern TAG = Pattern.compile("\\s*\"(\\d{1,18})\"\\s*");
    private final IncidentService incidents;

    /** @param incidents the incident service */
    @Activate
    public IncidentResource(@Reference IncidentService incidents) {
        this.incidents = incidents;
    }

    /** A new incident. */
    @Schema(name = "NewIncident", description = "An incident to record")
    public static final class NewIncidentBody {
        /** Title. */
        @Schema(description = "One line, 1-200 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String title;
        /** Status. */
        @Schema(description = "SUSPECTED or CONFIRMED", requiredMode = Schema.RequiredMode.REQUIRED)
        public IncidentStatus status;
        /** Discovered. */
        @Schema(description = "ISO-8601 with an offset, e.g. 2026-12-07T10:00:00+09:00; not in the future; the clocks run from it",
                requiredMode = Schema.RequiredMode.REQUIRED)
        public String discoveredAt;
        /** Tenants. */
        @Schema(description = "Affected tenants (ids or slugs); leave out with allTenants")
        public List<String> tenants;
        /** All. */
        @Schema(description = "Every tenant that exists now (not deleted)")
        public boolean allTenants;
        /** Summary. */
        @Schema(description = "What happened (NTF-2), 1-4,000 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String summary;
        /** Cause. */
        public String cause;
        /** Response. */
        @Schema(description = "The first response, when known")
        public String response;
        /** Unlawful. */
        @Schema(description = "An unlawful act: APPI's final report then has 60 days")
        public boolean unlawful;
        /** Categories. */
        @Schema(description = "Affected data categories (record category names): the evidence packs count the tenant's records in them")
        public List<String> categories;
    }

    /** A change. */
    @Schema(name = "IncidentChange", description = "Members left out stay as they are")
    public static final class ChangeBody {
        /** Status. */
        @Schema(description = "CONFIRMED, RESOLVED (ends the progress clock), DISMISSED (from SUSPECTED; final)")
        public IncidentStatus status;
        /** Summary. */
        public String summary;
        /** Cause. */
        public String cause;
        /** Response. */
        public String response;
        /** Unlawful. */
        public Boolean unlawful;
        /** Outage start. */
        @Schema(description = "When the service stopped for the affected tenants, ISO-8601 with an offset: their availability counts it")
        public String outageStart;
        /** Outage end. */
        @Schema(description = "When it came back")
        public String outageEnd;
    }

    /** A notice or an update. */
    @Schema(name = "IncidentNotice", description = "What the operator adds to the incident's notice or progress update")
    public static final class NoticeBody {
        /** Message. */
        @Schema(description = "1-4,000 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String message;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listIncidents", summary = "List incidents", description = "Operators. The newest 500 by discovery, with "
            + "each clock's time left.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The incidents", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.IncidentView.class)))))
    public List<Views.IncidentView> list(@Parameter(description = "Only those still running or with tenants not told")
            @QueryParam("open") String open) {
        return incidents.list(Views.flag("open", open)).stream().map(Views.IncidentView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "openIncident", summary = "Open an incident", description = "Operators. Its clocks start at "
            + "discoveredAt: every affected tenant must be told within 72 hours (POST /incidents/{id}/notices).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = NewIncidentBody.class))),
            responses = @ApiResponse(responseCode = "201", description = "Opened", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.IncidentView.class))))
    public Response open(@Parameter(hidden = true) NewIncidentBody b) {
        if (b == null) {
            throw invalid("Send the incident as JSON.");
        }
        Incident i = incidents.open(new NewIncident(b.title, b.status, instant("discoveredAt", b.discoveredAt), b.tenants, b.allTenants, b.summary,
                b.cause, b.response, b.unlawful, b.categories == null ? List.of() : b.categories));
        return Response.status(Response.Status.CREATED).header("Location", RestConstants.BASE_PATH + "/incidents/" + i.id())
                .tag(new EntityTag(Long.toString(i.version()))).entity(Views.IncidentView.of(i)).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "getIncident", summary = "Read an incident", description = "Operators. The ETag is its version.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The incident", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.IncidentView.class))))
    public Response get(@Parameter(description = "Incident id") @PathParam("id") String id) {
        Incident i = incidents.find(id).orElseThrow(() -> new MamoriException(NotificationErrors.NO_SUCH_INCIDENT, "No such incident."));
        return Response.ok(Views.IncidentView.of(i)).tag(new EntityTag(Long.toString(i.version()))).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.INVALID, ErrorKind.CONFLICT, ErrorKind.PRECONDITION_FAILED,
            ErrorKind.PRECONDITION_REQUIRED})
    @Operation(operationId = "changeIncident", summary = "Change an incident", description = "Operators, with If-Match: the ETag "
            + "read (412 if it changed meanwhile, 428 without it).", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = ChangeBody.class))),
            responses = @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.IncidentView.class))))
    public Response change(@Parameter(description = "Incident id") @PathParam("id") String id,
            @Parameter(description = "The ETag read") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Parameter(hidden = true) ChangeBody b) {
        long version = version(ifMatch);
        if (b == null) {
            throw invalid("Send the change as JSON.");
        }
        Incident i = incidents.update(id, version, new IncidentChange(b.status, b.summary, b.cause, b.response, b.unlawful,
                b.outageStart == null ? null : instant("outageStart", b.outageStart), b.outageEnd == null ? null : instant("outageEnd",
                        b.outageEnd)));
        return Response.ok(Views.IncidentView.of(i)).tag(new EntityTag(Long.toString(i.version()))).build();
    }

    @POST
    @Path("/{id}/notices")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.INVALID, ErrorKind.CONFLICT})
    @Operation(operationId = "notifyIncident", summary = "Tell the affected tenants", description = "Operators. The first call "
            + "queues the incident's notice, later ones a progress update, to the admins of every affected tenant by e-mail and "
            + "in-app; the delivery log and the audit log show each message sent. With If-Match: the ETag read (a retried or "
            + "doubled request tells no tenant twice: 412); without it, 428.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = NoticeBody.class))),
            responses = @ApiResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.IncidentView.class))))
    public Response notifyTenants(@Parameter(description = "Incident id") @PathParam("id") String id,
            @Parameter(description = "The ETag read") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Parameter(hidden = true) NoticeBody b) {
        long version = version(ifMatch);
        if (b == null) {
            throw invalid("Send {\"message\": \"...\"}.");
        }
        Incident i = incidents.notifyTenants(id, version, b.message);
        return Response.accepted(Views.IncidentView.of(i)).tag(new EntityTag(Long.toString(i.version()))).build();
    }

    static Instant instant(String field, String s) {
        if (s == null || s.isBlank()) {
            throw new MamoriException(NotificationErrors.INVALID_INCIDENT, field + " is required (ISO-8601 with an offset).");
        }
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new MamoriException(NotificationErrors.INVALID_INCIDENT, field + ": ISO-8601 with an offset, e.g. "
                    + "2026-12-07T10:00:00+09:00.");
        }
    }

    @GET
    @Path("/{id}/evidence")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.INVALID})
    @Operation(operationId = "incidentEvidence", summary = "An affected tenant's evidence pack", description = "Operators (naming "
            + "the tenant) and the affected tenant's admins (their own): what happened, the affected data categories with the "
            + "tenant's record counts, every notice and update sent to it and when each was delivered, and the report dates "
            + "APPI expects. An incident that did not affect the tenant is 404.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The pack", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.EvidenceView.class))))
    public Views.EvidenceView evidence(@Parameter(description = "Incident id") @PathParam("id") String id,
            @Parameter(description = "Operators: the tenant (id or slug)") @QueryParam("tenant") String tenant) {
        return Views.EvidenceView.of(incidents.evidence(id, tenant));
    }

    static long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new MamoriException(NotificationErrors.INCIDENT_VERSION_REQUIRED, "Send If-Match with the ETag you read (GET the "
                    + "incident first), so that nobody's change is overwritten unseen.");
        }
        Matcher m = TAG.matcher(ifMatch);
        if (!m.matches()) {
            throw new MamoriException(NotificationErrors.INCIDENT_CHANGED, "If-Match must be one strong ETag this API gave, e.g. \"3\".");
        }
        return Long.parseLong(m.group(1));
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(NotificationErrors.INVALID_INCIDENT, message);
    }
}
