package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.RequestGuard;
import dev.mamori.auth.Session;
import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.rest.spi.Anonymous;
import dev.mamori.rest.spi.RestConstants;

/**
 * The authentication slot: the client address behind trusted proxies, the flood limit (by when the
 * request arrived, {@link RestConstants#ARRIVED}), then the
 * session of a bearer token or the session cookie (SEC-4), with CSRF protection for
 * cookie-authenticated state changes (SEC-6; each refusal is an {@code auth.csrf.refused} event:
 * a forged cross-site request shows in the audit trail). The session becomes the execution
 * context's principal, with its {@link Assurance} (how far the sign-in has come), which the later
 * slots and the services read; nothing travels in a request property. A request without a token
 * passes without a principal: every service refuses it (fail closed), and only {@link Anonymous}
 * methods serve it. An {@link Anonymous} method never gets a session, whatever token comes with the
 * request.
 */
@Component(service = javax.ws.rs.container.ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_AUTHENTICATION, RestConstants.FILTER_NAME + "=" + SessionFilter.NAME})
public class SessionFilter implements ContainerRequestFilter {
    /** Its name, which {@code dev.mamori.rest} {@code required.slots} asks for: {@code authentication:auth-session}. */
    public static final String NAME = "auth-session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final AuthenticationService auth;
    private final RequestGuard guard;
    private final EventPublisher events;

    /**
     * @param auth   validates session tokens
     * @param guard  client address and flood limit
     * @param events where CSRF refusals go
     */
    @Activate
    public SessionFilter(@Reference AuthenticationService auth, @Reference RequestGuard guard, @Reference EventPublisher events) {
        this.auth = auth;
        this.guard = guard;
        this.events = events;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String remote = ExecutionContext.require().clientIp().orElse(null);
        List<String> forwarded = request.getHeaders().get("X-Forwarded-For");
        String client = guard.clientAddress(remote, forwarded == null ? List.of() : forwarded);
        if (!Objects.equals(client, remote)) {
            ExecutionContext.amend(c -> c.toBuilder().clientIp(client).build());
        }
        // counted by when it arrived: a request held during a swap is not part of a burst its client never sent
        Object arrived = request.getProperty(RestConstants.ARRIVED);
        if (arrived instanceof Instant) {
            guard.admit(client, (Instant) arrived);
        } else {
            guard.admit(client);
        }

        Method method = (Method) request.getProperty(RestConstants.RESOURCE_METHOD);
        if (method != null && method.isAnnotationPresent(Anonymous.class)) {
            // sign-in and reset act on credentials in the body, never with a session's authority: whatever
            // token the browser still sends (signed in, pending MFA, expired) is ignored, so the request
            // is exactly the one a browser without a cookie makes (SEC-6 finding F6)
            return;
        }
        Optional<Tokens.Found> found = Tokens.find(request.getHeaders().get("Authorization"), request.getCookies());
        if (found.isEmpty()) {
            return;
        }
        Session session = auth.authenticate(found.get().token());
        String csrf = request.getHeaderString(Tokens.CSRF_HEADER);
        if (found.get().fromCookie() && !SAFE.contains(request.getMethod()) && !matches(session.csrfToken(), csrf)) {
            refused(session, request.getMethod(), csrf == null ? "missing" : "wrong");
            throw new AuthException(AuthErrors.CSRF_REJECTED, "A change made with the session cookie needs the session's CSRF "
                    + "token in the " + Tokens.CSRF_HEADER + " header.");
        }
        ExecutionContext.amend(c -> c.withPrincipal(principalOf(session)));
    }

    /**
     * @param session a valid session
     * @return the principal it acts as, with how far its sign-in has come
     */
    static Principal principalOf(Session session) {
        switch (session.state()) {
            case MFA_REQUIRED:
                return session.principal().withAssurance(Assurance.PASSWORD_ONLY);
            case MFA_ENROLMENT_REQUIRED:
                return session.principal().withAssurance(Assurance.ENROLMENT_PENDING);
            case AUTHENTICATED:
                return session.principal().withAssurance(Assurance.COMPLETE);
            default:
                // a state this filter does not know reaches nothing but sign-in steps (fail closed)
                return session.principal().withAssurance(Assurance.PASSWORD_ONLY);
        }
    }

    /** The refusal names whose cookie was used, not as the actor: a forged request acts for nobody. */
    private void refused(Session session, String method, String token) {
        MamoriEvent.Builder e = MamoriEvent.builder(AuthEvents.CSRF_REFUSED).outcome(MamoriEvent.Outcome.DENIED)
                .detail("method", method.length() <= 16 && method.chars().allMatch(c -> c >= 'A' && c <= 'Z') ? method : "other")
                .detail("token", token);
        if (session.tenantId() == null) {
            e.target("platform-account", session.userId());
        } else {
            e.tenant(session.tenantId()).target("user", session.userId());
        }
        events.publish(e);
    }

    private static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
