package dev.mamori.auth.rest.internal;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.IpAllowListService;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The tenant's IP allow-list, for its admins (IAM-12). */
@Component(service = IpAllowListResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/ip-allowlist")
@Tag(name = "ip-allowlist", description = "Address ranges the tenant's accounts may use")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
public class IpAllowListResource {
    private final IpAllowListService allowLists;

    /** @param allowLists the allow-lists */
    @Activate
    public IpAllowListResource(@Reference IpAllowListService allowLists) {
        this.allowLists = allowLists;
    }

    /** The list. */
    @Schema(name = "IpAllowList", description = "IPv4 and IPv6 addresses and CIDR ranges; empty = unrestricted")
    public static final class AllowList {
        /** Ranges. */
        @Schema(description = "e.g. 203.0.113.0/24, 2001:db8::/32", requiredMode = Schema.RequiredMode.REQUIRED)
        public List<String> ranges;
    }

    @GET
    @RequiresPermission("ip-allowlist:read")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getIpAllowList", summary = "The tenant's IP allow-list", description = "Canonical ranges; empty means unrestricted.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The list", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = AllowList.class)))})
    public AllowList get() {
        AllowList a = new AllowList();
        a.ranges = allowLists.list();
        return a;
    }

    @PUT
    @RequiresPermission("ip-allowlist:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID})
    @Operation(operationId = "replaceIpAllowList", summary = "Replace the tenant's IP allow-list",
            description = "Applies to sign-in and to every request of the tenant's accounts. A list without the caller's own address is refused.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = AllowList.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "The stored list", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = AllowList.class)))})
    public AllowList replace(AllowList body) {
        AllowList a = new AllowList();
        a.ranges = allowLists.replace(body == null ? null : body.ranges);
        return a;
    }
}
