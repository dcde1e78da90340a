package dev.mamori.auth.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.NewUser;
import dev.mamori.auth.Profile;
import dev.mamori.auth.UserChange;
import dev.mamori.auth.UserService;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A tenant's accounts, for its admins (IAM-1..5): create, change, roles and scoped permissions,
 * deactivate, unlock, reset the second factor or the password, erase. Another tenant's account is
 * never found (404), whoever asks.
 */
@Component(service = UserResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/users")
@Tag(name = "users", description = "Accounts of the tenant, managed by its admins")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
public class UserResource {
    private final UserService users;

    /** @param users accounts */
    @Activate
    public UserResource(@Reference UserService users) {
        this.users = users;
    }

    /** A new account. */
    @Schema(name = "NewUser", description = "A new account")
    public static final class NewUserRequest {
        /** Login. */
        @Schema(description = "Login name, unique in the tenant", requiredMode = Schema.RequiredMode.REQUIRED)
        public String loginName;
        /** Employee number. */
        @Schema(description = "Employee number, unique in the tenant", requiredMode = Schema.RequiredMode.REQUIRED)
        public String employeeNumber;
        /** Roles. */
        @Schema(description = "employee, reviewer, tenant-admin", requiredMode = Schema.RequiredMode.REQUIRED)
        public Set<String> roles;
        /** Profile. */
        @Schema(description = "Personal data")
        public Views.ProfileView profile;
        /** Password. */
        @Schema(description = "Initial password", requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "password")
        public char[] password;
    }

    /** A change. */
    @Schema(name = "UserChange", description = "Fields to change; absent fields stay")
    public static final class ChangeRequest {
        /** Login. */
        @Schema(description = "New login name")
        public String loginName;
        /** Employee number. */
        @Schema(description = "New employee number")
        public String employeeNumber;
        /** Profile. */
        @Schema(description = "New personal data (replaces all of it)")
        public Views.ProfileView profile;
    }

    /** Roles. */
    @Schema(name = "Roles", description = "The account's roles")
    public static final class RolesRequest {
        /** Roles. */
        @Schema(description = "employee, reviewer, tenant-admin", requiredMode = Schema.RequiredMode.REQUIRED)
        public Set<String> roles;
    }

    /** Permissions. */
    @Schema(name = "Permissions", description = "The account's scoped permissions")
    public static final class PermissionsRequest {
        /** Permissions. */
        @Schema(description = "e.g. records:read:dept/sales", requiredMode = Schema.RequiredMode.REQUIRED)
        public Set<String> permissions;
    }

    /** Confirmation. */
    @Schema(name = "Erasure", description = "Confirmation of an erasure")
    public static final class EraseRequest {
        /** The id again. */
        @Schema(description = "The account id again", requiredMode = Schema.RequiredMode.REQUIRED)
        public String confirmation;
    }

    /** A reset token. */
    @Schema(name = "ResetToken", description = "A single-use password reset token, shown once")
    public static final class ResetView {
        /** Token. */
        @Schema(description = "Give it to the person; it works once")
        public String token;
        /** Issued. */
        @Schema(description = "When it was issued")
        public Instant issuedAt;
    }

    @GET
    @RequiresPermission("users:read")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listUsers", summary = "List accounts", description = "Every account of the tenant, by login name.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The accounts", content = @Content(mediaType = Docs.JSON,
                        array = @ArraySchema(schema = @Schema(implementation = Views.UserView.class))))})
    public List<Views.UserView> list() {
        return users.list().stream().map(Views.UserView::of).collect(Collectors.toList());
    }

    @POST
    @RequiresPermission("users:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.CONFLICT})
    @Operation(operationId = "createUser", summary = "Create an account",
            description = "The password must meet the rules of the roles (8+ characters, 12+ for tenant-admin, upper, lower, digit).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = NewUserRequest.class))),
            responses = {
                @ApiResponse(responseCode = "201", description = "Created", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Response create(NewUserRequest body) {
        if (body == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send loginName, employeeNumber, roles and password as JSON.");
        }
        try {
            Profile profile = body.profile == null ? Profile.EMPTY : body.profile.toProfile();
            Views.UserView v = Views.UserView.of(users.create(new NewUser(body.loginName, body.employeeNumber, body.roles, profile,
                    body.password)));
            return Response.status(Response.Status.CREATED).entity(v).header("Location", RestConstants.BASE_PATH + "/users/" + v.id)
                    .build();
        } finally {
            if (body.password != null) {
                java.util.Arrays.fill(body.password, '\0');
            }
        }
    }

    @GET
    @Path("/{id}")
    @RequiresPermission("users:read")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND})
    @Operation(operationId = "getUser", summary = "One account", description = "Without personal data.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The account", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView get(@Parameter(description = "Account id") @PathParam("id") String id) {
        return users.find(id).map(Views.UserView::of).orElseThrow(() -> notFound(id));
    }

    @GET
    @Path("/{id}/profile")
    @RequiresPermission("users:read")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND})
    @Operation(operationId = "getUserProfile", summary = "An account's personal data",
            description = "Decrypted for the tenant's admins only; 404 once erased.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The personal data", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.ProfileView.class)))})
    public Views.ProfileView profile(@Parameter(description = "Account id") @PathParam("id") String id) {
        return users.profile(id).map(Views.ProfileView::of).orElseThrow(() -> notFound(id));
    }

    @PUT
    @Path("/{id}")
    @RequiresPermission("users:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "updateUser", summary = "Change an account", description = "Login name, employee number, personal data.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = ChangeRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView update(@Parameter(description = "Account id") @PathParam("id") String id, ChangeRequest body) {
        if (body == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send the fields to change as JSON.");
        }
        return Views.UserView.of(users.update(id, new UserChange(body.loginName, body.employeeNumber,
                body.profile == null ? null : body.profile.toProfile())));
    }

    @PUT
    @Path("/{id}/roles")
    @RequiresPermission("users:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND})
    @Operation(operationId = "setUserRoles", summary = "Replace an account's roles", description = "Ends the account's sessions.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = RolesRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView setRoles(@Parameter(description = "Account id") @PathParam("id") String id, RolesRequest body) {
        return Views.UserView.of(users.setRoles(id, body == null ? null : body.roles));
    }

    @PUT
    @Path("/{id}/permissions")
    @RequiresPermission("users:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND})
    @Operation(operationId = "setUserPermissions", summary = "Replace an account's scoped permissions",
            description = "domain:action[:scope], e.g. records:read:dept/sales. Ends the account's sessions.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = PermissionsRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView setPermissions(@Parameter(description = "Account id") @PathParam("id") String id, PermissionsRequest body) {
        return Views.UserView.of(users.setPermissions(id, body == null || body.permissions == null ? Set.of() : body.permissions));
    }

    @POST
    @Path("/{id}/{action: deactivate|reactivate|unlock|mfa-reset}")
    @RequiresPermission("users:write")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "changeUserState", summary = "Deactivate, reactivate, unlock, or reset the second factor",
            description = "deactivate and mfa-reset end the account's sessions; unlock clears a lockout.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView changeState(@Parameter(description = "Account id") @PathParam("id") String id,
            @Parameter(description = "What to do", schema = @Schema(type = "string",
                    allowableValues = {"deactivate", "reactivate", "unlock", "mfa-reset"})) @PathParam("action") String action) {
        switch (action) {
            case "deactivate":
                return Views.UserView.of(users.deactivate(id));
            case "reactivate":
                return Views.UserView.of(users.reactivate(id));
            case "unlock":
                return Views.UserView.of(users.unlock(id));
            default:
                return Views.UserView.of(users.resetMfa(id));
        }
    }

    @POST
    @Path("/{id}/password-reset")
    @RequiresPermission("users:write")
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "forcePasswordReset", summary = "Force a password reset",
            description = "The current password stops working and the sessions end; the returned single-use token lets the person set a new one.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The reset token", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = ResetView.class)))})
    public Response forceReset(@Parameter(description = "Account id") @PathParam("id") String id) {
        ResetView v = new ResetView();
        v.token = users.forcePasswordReset(id);
        v.issuedAt = Instant.now();
        return Response.ok(v).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/erase")
    @RequiresPermission("users:write")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT})
    @Operation(operationId = "eraseUser", summary = "Erase a person's personal data",
            description = "Destroys the person's key: name and e-mail become unreadable everywhere. The account stays as a pseudonym. "
                    + "The person's records go as each category says (trashed, or kept under the account id): the answer's effects count them.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = EraseRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Erased", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = Views.UserView.class)))})
    public Views.UserView erase(@Parameter(description = "Account id") @PathParam("id") String id, EraseRequest body) {
        dev.mamori.auth.Erasure erasure = users.eraseWithEffects(id, body == null ? null : body.confirmation);
        Views.UserView v = Views.UserView.of(erasure.account());
        v.effects = erasure.effects();
        return v;
    }

    private static AuthException notFound(String id) {
        // the answer repeats nothing of the request: the same for another tenant's id and for none
        return new AuthException(AuthErrors.USER_NOT_FOUND, "No such account in this tenant.");
    }
}
