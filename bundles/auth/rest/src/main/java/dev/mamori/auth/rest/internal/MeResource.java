package dev.mamori.auth.rest.internal;


import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.PlatformAccount;
import dev.mamori.auth.PlatformAccountService;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The signed-in account itself: who am I, my roles, my personal data (IAM-4). */
@Component(service = MeResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/me")
@Tag(name = "me", description = "The signed-in account")
@SecurityScheme(name = RestConstants.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A session token (or the __Host-mamori-session cookie)")
public class MeResource {
    private final UserService users;
    private final PlatformAccountService platformAccounts;

    /**
     * @param users            tenant accounts
     * @param platformAccounts operator and support accounts
     */
    @Activate
    public MeResource(@Reference UserService users, @Reference PlatformAccountService platformAccounts) {
        this.users = users;
        this.platformAccounts = platformAccounts;
    }

    /** Who is signed in. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Me", description = "The signed-in account")
    public static final class MeView {
        /** Account. */
        @Schema(description = "The tenant account (absent for operator and support accounts)")
        public Views.UserView user;
        /** Platform account. */
        @Schema(description = "The operator or support account (absent for tenant accounts)")
        public PlatformView platformAccount;
        /** Tenant. */
        @Schema(description = "Tenant id")
        public String tenantId;
        /** Personal data. */
        @Schema(description = "Personal data")
        public Views.ProfileView profile;
    }

    /** An operator or support account. */
    @Schema(name = "PlatformAccount", description = "An operator or support account")
    public static final class PlatformView {
        /** Id. */
        @Schema(description = "Account id")
        public String id;
        /** Login. */
        @Schema(description = "Login name")
        public String loginName;
        /** Role. */
        @Schema(description = "operator or support")
        public String role;
        /** MFA. */
        @Schema(description = "Has its second factor")
        public boolean mfaEnrolled;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
    @Operation(operationId = "getMe", summary = "The signed-in account", description = "Account, roles, permissions and personal data.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The account", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = MeView.class)))})
    public MeView me() {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.USER, PrincipalKind.OPERATOR, PrincipalKind.SUPPORT);
        MeView v = new MeView();
        if (p.kind() != PrincipalKind.USER) {
            PlatformAccount a = platformAccounts.list().stream().filter(x -> x.id().equals(p.id())).findFirst()
                    .orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again."));
            v.platformAccount = new PlatformView();
            v.platformAccount.id = a.id();
            v.platformAccount.loginName = a.loginName();
            v.platformAccount.role = a.role();
            v.platformAccount.mfaEnrolled = a.mfaEnrolled();
            return v;
        }
        v.user = Views.UserView.of(users.find(p.id()).orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in again.")));
        v.tenantId = p.tenantId().orElse(null);
        v.profile = users.profile(p.id()).map(Views.ProfileView::of).orElse(null);
        return v;
    }
}
