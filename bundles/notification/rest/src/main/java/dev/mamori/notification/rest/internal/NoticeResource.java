package dev.mamori.notification.rest.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
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

import dev.mamori.notification.NoticeService;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;

/** A tenant user's own in-app notices (NTF-1..6). */
@Component(service = NoticeResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/notices")
@Tag(name = "notices", description = "The caller's in-app notices: incident notices and updates, announcements")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.UNAVAILABLE})
public class NoticeResource {
    private final NoticeService notices;

    /** @param notices the notice service */
    @Activate
    public NoticeResource(@Reference NoticeService notices) {
        this.notices = notices;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listNotices", summary = "List my notices", description = "The caller's own notices, newest first "
            + "(a tenant's accounts only).", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "The notices", content = @Content(mediaType = Views.JSON,
                    array = @ArraySchema(schema = @Schema(implementation = Views.NoticeView.class)))))
    public List<Views.NoticeView> list(@Parameter(description = "Only those not marked read") @QueryParam("unread") String unread,
            @Parameter(description = "At most this many (1-200)") @QueryParam("limit") String limit) {
        return notices.mine(Views.flag("unread", unread), Views.limit(limit, 50)).stream().map(Views.NoticeView::of).toList();
    }

    @POST
    @Path("/{id}/read")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses(ErrorKind.NOT_FOUND)
    @Operation(operationId = "markNoticeRead", summary = "Mark a notice read", description = "One of the caller's notices; any other "
            + "id is 404.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = @ApiResponse(responseCode = "200", description = "Marked", content = @Content(mediaType = Views.JSON,
                    schema = @Schema(implementation = Views.NoticeView.class))))
    public Views.NoticeView read(@Parameter(description = "Notice id") @PathParam("id") String id) {
        return Views.NoticeView.of(notices.markRead(id));
    }
}
