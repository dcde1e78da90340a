package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;
import java.util.Arrays;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.rest.spi.Anonymous;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.rest.spi.SignInStep;

/**
 * The MFA slot: a principal that has not verified its second factor, or must enrol one (its
 * {@link Assurance} in the execution context), reaches only the methods marked {@link SignInStep}
 * for its assurance (IAM-10, IAM-11), and the {@link Anonymous} ones (signing in again), which act
 * without a session. It reads only the exported contract, so it guards any capability's resources,
 * whichever filter authenticated the caller.
 */
@Component(service = ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_MFA, RestConstants.FILTER_NAME + "=" + MfaFilter.NAME})
public class MfaFilter implements ContainerRequestFilter {
    /** Its name, which {@code required.slots} asks for: {@code mfa:auth-mfa}. */
    public static final String NAME = "auth-mfa";

    @Override
    public void filter(ContainerRequestContext request) {
        Principal p = ExecutionContext.current().flatMap(ExecutionContext::principal).orElse(null);
        if (p == null || p.assurance().complete()) {
            return;
        }
        Method method = (Method) request.getProperty(RestConstants.RESOURCE_METHOD);
        if (method != null && method.isAnnotationPresent(Anonymous.class)) {
            // signing in again (or resetting) must work from any half-finished sign-in; it uses no session
            return;
        }
        SignInStep step = method == null ? null : method.getAnnotation(SignInStep.class);
        if (step != null && Arrays.asList(step.value()).contains(p.assurance())) {
            return;
        }
        throw new AuthException(AuthErrors.MFA_REQUIRED, p.assurance() == Assurance.ENROLMENT_PENDING
                ? "This account must enrol a second factor first: POST /api/v1/auth/mfa/enroll."
                : "Verify the second factor first: POST /api/v1/auth/mfa/verify.");
    }
}
