package dev.mamori.auth.rest.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.MfaConfirmation;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.rest.spi.Anonymous;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.rest.spi.SignInStep;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Sign-in, second factor, sign-out and passwords over REST (IAM-8..11, IAM-13, SEC-4). A new session
 * goes back the way the caller asked: the {@code __Host-} cookie for browsers (default), or the
 * token in the body for API clients ({@code "session": "bearer"}).
 */
@Component(service = AuthResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/auth")
@Tag(name = "auth", description = "Sign-in, second factor, sessions and passwords")
public class AuthResource {
    private final AuthenticationService auth;

    /** @param auth the sign-in service */
    @Activate
    public AuthResource(@Reference AuthenticationService auth) {
        this.auth = auth;
    }

    /** Sign-in request. */
    @Schema(name = "SignInRequest", description = "Password sign-in")
    public static final class SignInRequest {
        /** Tenant. */
        @Schema(description = "Tenant slug or id; omitted by operator and support accounts")
        public String tenant;
        /** Login. */
        @Schema(description = "Login name or e-mail address", requiredMode = Schema.RequiredMode.REQUIRED)
        public String login;
        /** Password. */
        @Schema(description = "Password", requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "password")
        public char[] password;
        /** Optional one-time code. */
        @Schema(description = "TOTP code, to sign in in one step when a second factor is enrolled")
        public String otp;
        /** How the session comes back. */
        @Schema(description = "cookie (default): the __Host-mamori-session cookie; bearer: the token in the response body",
                allowableValues = {"cookie", "bearer"})
        public String session;
    }

    /** A code for the second step. */
    @Schema(name = "CodeRequest", description = "A one-time or recovery code")
    public static final class CodeRequest {
        /** Factor. */
        @Schema(description = "Second factor, default totp")
        public String factor;
        /** Code. */
        @Schema(description = "The code", requiredMode = Schema.RequiredMode.REQUIRED)
        public String code;
    }

    /** Password change. */
    @Schema(name = "PasswordChange", description = "Own password change")
    public static final class PasswordChange {
        /** Current. */
        @Schema(description = "Current password", requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "password")
        public char[] current;
        /** New. */
        @Schema(description = "New password", requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "password")
        public char[] password;
    }

    /** Password reset with a token. */
    @Schema(name = "PasswordReset", description = "Password reset with a token a tenant admin issued")
    public static final class PasswordReset {
        /** Tenant. */
        @Schema(description = "Tenant slug or id; omitted by operator and support accounts")
        public String tenant;
        /** Token. */
        @Schema(description = "The reset token", requiredMode = Schema.RequiredMode.REQUIRED)
        public String token;
        /** New password. */
        @Schema(description = "New password", requiredMode = Schema.RequiredMode.REQUIRED, type = "string", format = "password")
        public char[] password;
    }

    /** A session as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SignInResult", description = "A new session")
    public static final class SignInView {
        /** State. */
        @Schema(description = "AUTHENTICATED, MFA_REQUIRED (verify a code next) or MFA_ENROLMENT_REQUIRED (enrol first)")
        public String state;
        /** End. */
        @Schema(description = "When the session ends at the latest")
        public Instant expiresAt;
        /** CSRF token. */
        @Schema(description = "Send it in X-CSRF-Token with every cookie-authenticated POST, PUT, PATCH and DELETE")
        public String csrfToken;
        /** Bearer token. */
        @Schema(description = "The session token, only when asked for with session=bearer")
        public String token;
        /** Recovery codes. */
        @Schema(description = "Recovery codes, only after confirming an enrolment; shown once")
        public List<String> recoveryCodes;
    }

    /** TOTP enrolment. */
    @Schema(name = "MfaEnrolment", description = "A TOTP secret to confirm with a first code")
    public static final class EnrolmentView {
        /** Secret. */
        @Schema(description = "Base32 secret for typing in by hand")
        public String secret;
        /** URI. */
        @Schema(description = "otpauth:// URI")
        public String uri;
        /** QR code. */
        @Schema(description = "The URI as a QR code: a PNG, base64")
        public String qrPng;
    }

    @POST
    @Path("/login")
    @Anonymous
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED, ErrorKind.TOO_MANY_REQUESTS})
    @Operation(operationId = "signIn", summary = "Sign in with a password",
            description = "Every failure has the same answer, whatever the reason. 5 consecutive failures lock the account.",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Signed in, or a second step is due",
                        content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInView.class)))})
    public Response signIn(SignInRequest body) {
        if (body == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send tenant, login and password as JSON.");
        }
        boolean bearer = bearer(body.session);
        try {
            return answer(auth.signIn(new Credentials(body.tenant, body.login, body.password), "totp", body.otp), bearer, null);
        } finally {
            clear(body.password);
        }
    }

    @POST
    @Path("/mfa/verify")
    @SignInStep(Assurance.PASSWORD_ONLY)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED, ErrorKind.TOO_MANY_REQUESTS})
    @Operation(operationId = "verifyMfa", summary = "Verify the second factor",
            description = "For a session in MFA_REQUIRED state. Success replaces the session with a new one (new token).",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = CodeRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Signed in", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInView.class)))})
    public Response verifyMfa(@Context HttpHeaders headers, CodeRequest body) {
        Tokens.Found t = token(headers);
        SignIn s = auth.verifyMfa(t.token(), body == null || body.factor == null ? "totp" : body.factor, body == null ? null : body.code);
        return answer(s, !t.fromCookie(), null);
    }

    @POST
    @Path("/recovery")
    @SignInStep(Assurance.PASSWORD_ONLY)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED, ErrorKind.TOO_MANY_REQUESTS})
    @Operation(operationId = "useRecoveryCode", summary = "Sign in with a recovery code",
            description = "Instead of the second factor; each code works once.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = CodeRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Signed in", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInView.class)))})
    public Response recover(@Context HttpHeaders headers, CodeRequest body) {
        Tokens.Found t = token(headers);
        SignIn s = auth.recover(t.token(), body == null ? null : body.code);
        return answer(s, !t.fromCookie(), null);
    }

    @POST
    @Path("/logout")
    @SignInStep({Assurance.PASSWORD_ONLY, Assurance.ENROLMENT_PENDING})
    @ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
    @Operation(operationId = "signOut", summary = "Sign out", description = "Ends the session and removes the cookie.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "204", description = "Signed out")})
    public Response signOut(@Context HttpHeaders headers) {
        auth.signOut(token(headers).token());
        return Response.noContent().header(HttpHeaders.SET_COOKIE, Tokens.expiredCookie()).build();
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN})
    @Operation(operationId = "changePassword", summary = "Change the own password",
            description = "Needs the current password. Ends every session of the account and returns a new one.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = PasswordChange.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Changed; the new session", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInView.class)))})
    public Response changePassword(@Context HttpHeaders headers, PasswordChange body) {
        Tokens.Found t = token(headers);
        if (body == null || body.password == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send current and password as JSON.");
        }
        try {
            return answer(auth.changePassword(t.token(), body.current, body.password), !t.fromCookie(), null);
        } finally {
            clear(body.current);
            clear(body.password);
        }
    }

    @POST
    @Path("/password-reset")
    @Anonymous
    @Consumes(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.TOO_MANY_REQUESTS})
    @Operation(operationId = "resetPassword", summary = "Set a password with a reset token",
            description = "The token comes from a tenant admin, works once and expires after 30 minutes (configurable).",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = PasswordReset.class))),
            responses = {
                @ApiResponse(responseCode = "204", description = "Password set; sign in with it")})
    public Response resetPassword(PasswordReset body) {
        if (body == null || body.password == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Send tenant, token and password as JSON.");
        }
        try {
            auth.resetPassword(body.tenant, body.token, body.password);
            return Response.noContent().build();
        } finally {
            clear(body.password);
        }
    }

    @POST
    @Path("/mfa/enroll")
    @SignInStep(Assurance.ENROLMENT_PENDING)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.CONFLICT})
    @Operation(operationId = "beginMfaEnrolment", summary = "Start TOTP enrolment",
            description = "Returns a new secret as text, otpauth URI and QR code; confirm it with a first code.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            responses = {
                @ApiResponse(responseCode = "200", description = "The secret", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = EnrolmentView.class)))})
    public EnrolmentView beginEnrolment(@Context HttpHeaders headers) {
        MfaEnrolment e = auth.beginTotpEnrolment(token(headers).token());
        EnrolmentView v = new EnrolmentView();
        v.secret = e.secret();
        v.uri = e.uri();
        v.qrPng = Base64.getEncoder().encodeToString(e.qrPng());
        return v;
    }

    @POST
    @Path("/mfa/enroll/confirm")
    @SignInStep(Assurance.ENROLMENT_PENDING)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ProblemResponses({ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED})
    @Operation(operationId = "confirmMfaEnrolment", summary = "Confirm TOTP enrolment",
            description = "With the first code from the app. Returns a new, fully signed-in session and 10 recovery codes, shown once.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME),
            requestBody = @RequestBody(required = true, content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = CodeRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Enrolled", content = @Content(mediaType = Docs.JSON, schema = @Schema(implementation = SignInView.class)))})
    public Response confirmEnrolment(@Context HttpHeaders headers, CodeRequest body) {
        Tokens.Found t = token(headers);
        MfaConfirmation c = auth.confirmTotpEnrolment(t.token(), body == null ? null : body.code);
        return answer(c.signIn(), !t.fromCookie(), c.recoveryCodes());
    }

    private static Tokens.Found token(HttpHeaders headers) {
        return Tokens.find(headers).orElseThrow(() -> new AuthException(AuthErrors.SESSION_INVALID, "Sign in first."));
    }

    private static boolean bearer(String mode) {
        if (mode == null || mode.equals("cookie")) {
            return false;
        }
        if (mode.equals("bearer")) {
            return true;
        }
        throw new MamoriException(PlatformErrors.INVALID, "session is 'cookie' or 'bearer'.");
    }

    private static Response answer(SignIn s, boolean bearer, List<String> recoveryCodes) {
        SignInView v = new SignInView();
        v.state = s.state().name();
        v.expiresAt = s.expiresAt();
        v.csrfToken = s.csrfToken();
        v.recoveryCodes = recoveryCodes;
        if (bearer) {
            v.token = s.token();
            return Response.ok(v).header("Cache-Control", "no-store").build();
        }
        return Response.ok(v).header(HttpHeaders.SET_COOKIE, Tokens.cookie(s)).header("Cache-Control", "no-store").build();
    }

    private static void clear(char[] a) {
        if (a != null) {
            Arrays.fill(a, '\0');
        }
    }
}
