package dev.mamori.itests.plugin;

import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.rest.spi.RestConstants;

/**
 * A stand-in authentication filter in the authentication slot: {@code X-It-Operator: <name>}
 * makes the caller an operator; {@code X-It-Refuse} is refused with the plugin's own error. Its
 * name is its own ({@value #NAME}): it does not meet the shipped requirement
 * {@code authentication:auth-session}, so it never opens the API in place of the auth capability.
 */
@Component(service = ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_AUTHENTICATION, RestConstants.FILTER_NAME + "=" + PluginAuthenticationFilter.NAME})
public class PluginAuthenticationFilter implements ContainerRequestFilter {
    /** Its filter name. */
    public static final String NAME = "it-plugin-auth";

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getHeaderString("X-It-Refuse") != null) {
            throw new PluginRefusedException("The test plugin refuses this request.");
        }
        String operator = request.getHeaderString("X-It-Operator");
        if (operator != null && operator.matches("[a-z]{1,20}")) {
            ExecutionContext.amend(c -> c.withPrincipal(Principal.operator(operator, Set.of("operator"))));
        }
    }
}
