package dev.mamori.notification.rest.internal;

import java.time.Instant;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
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
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.AnnouncementService;
import dev.mamori.notification.NewAnnouncement;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** Announcements (NTF-4..6, OPS-5): operators write them; tenant admins read what was sent to their tenant. */
@Component(service = AnnouncementResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/announcements")
@Tag(name = "announcements", description = "Service changes, vulnerabilities, policy changes and planned maintenance told to tenants")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class AnnouncementResource {
    private final AnnouncementService announcements;

    /** @param announcements the service */
    @Activate
    public AnnouncementResource(@Reference AnnouncementService announcements) {
        this.announcements = announcements;
    }

    /** A new announcement. */
    @Schema(name = "NewAnnouncement", description = "An announcement: all tenants, named tenants or plans (one of them)")
    public static final class Body {
        /** Kind. */
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        public AnnouncementKind kind;
        /** Title. */
        @Schema(description = "One line, 1-200 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String title;
        /** Body. */
        @Schema(description = "1-4,000 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String body;
        /** All. */
        public boolean allTenants;
        /** Tenants. */
        @Schema(description = "Tenants (ids or slugs)")
        public List<String> tenants;
        /** Plans. */
        @Schema(description = "The tenants on these plans when it goes out")
        public List<String> plans;
        /** When. */
        @Schema(description = "When it goes out, ISO-8601 with an offset; absent: now")
        public String sendAt;
        /** Window start. */
        @Schema(description = "MAINTENANCE: the window's start, at least maintenance.notice.hours after sendAt")
        public String maintenanceStart;
        /** Window end. */
        @Schema(description = "MAINTENANCE: the window's end, at most 24 hours after its start")
        public String maintenanceEnd;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAnnouncements", summary = "List announcements", description = "Operators: every one, scheduled, "
            + "sent or cancelled; a tenant's admins: those sent to their tenant (whom else they were for is not shown).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "Newest first", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.AnnouncementView.class)))))
    public List<Views.AnnouncementView> list(@Parameter(description = "At most this many (1-500)") @QueryParam("limit") String limit) {
        return announcements.list(Views.limit(limit, 100)).stream().map(Views.AnnouncementView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.INVALID)
    @Operation(operationId = "publishAnnouncement", summary = "Publish an announcement", description = "Operators. Sent now, or at "
            + "sendAt, to every targeted tenant's admins by e-mail and in-app. Maintenance must be announced at least "
            + "maintenance.notice.hours before its window; only such windows are left out of the availability figures.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Views.JSON, schema = @Schema(implementation = Body.class))),
            responses = @ApiResponse(responseCode = "201", description = "Scheduled or sent", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.AnnouncementView.class))))
    public Response publish(@Parameter(hidden = true) Body b) {
        if (b == null) {
            throw new MamoriException(NotificationErrors.INVALID_ANNOUNCEMENT, "Send the announcement as JSON.");
        }
        Announcement a = announcements.publish(new NewAnnouncement(b.kind, b.title, b.body, b.allTenants, b.tenants, b.plans,
                time("sendAt", b.sendAt), time("maintenanceStart", b.maintenanceStart), time("maintenanceEnd", b.maintenanceEnd)));
        return Response.status(Response.Status.CREATED).header("Location", RestConstants.BASE_PATH + "/announcements")
                .entity(Views.AnnouncementView.of(a)).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "cancelAnnouncement", summary = "Cancel a scheduled announcement", description = "Operators; 409 once "
            + "it went out.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "Cancelled", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.AnnouncementView.class))))
    public Views.AnnouncementView cancel(@Parameter(description = "Announcement id") @PathParam("id") String id) {
        return Views.AnnouncementView.of(announcements.cancel(id));
    }

    private static Instant time(String field, String s) {
        if (s == null) {
            return null;
        }
        try {
            return IncidentResource.instant(field, s);
        } catch (MamoriException e) {
            throw new MamoriException(NotificationErrors.INVALID_ANNOUNCEMENT, e.getMessage());
        }
    }
}
