package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;
import java.util.Arrays;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.rest.spi.RestConstants;

/**
 * The MFA slot: a session that has not verified its second factor, or must enrol one, reaches only
 * the methods marked {@link SignInStep} for its state (IAM-10, IAM-11), and the {@link Anonymous} ones
 * (signing in again), which act without a session.
 */
@Component(service = ContainerRequestFilter.class, property = RestConstants.SLOT + "=" + RestConstants.SLOT_MFA)
public class MfaFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        Session s = (Session) request.getProperty(Tokens.SESSION);
        if (s == null || s.state() == SessionState.AUTHENTICATED) {
            return;
        }
        Method method = (Method) request.getProperty(RestConstants.RESOURCE_METHOD);
        if (method != null && method.isAnnotationPresent(Anonymous.class)) {
            // signing in again (or resetting) must work from any half-finished sign-in; it uses no session
            return;
        }
        SignInStep step = method == null ? null : method.getAnnotation(SignInStep.class);
        if (step != null && Arrays.asList(step.value()).contains(s.state())) {
            return;
        }
        throw new AuthException(AuthErrors.MFA_REQUIRED, s.state() == SessionState.MFA_ENROLMENT_REQUIRED
                ? "This account must enrol a second factor first: POST /api/v1/auth/mfa/enroll."
                : "Verify the second factor first: POST /api/v1/auth/mfa/verify.");
    }
}
