package dev.mamori.rest.internal;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

/**
 * First in the chain: exposes the request id of the bound {@link ExecutionContext} (which
 * {@link ApiServlet} created, reusing a safe caller id, SEC-7) as a request property and echoes
 * it on the response. It neither invents nor parses ids itself.
 */
@PreMatching
@Priority(RestConstants.PRIORITY_REQUEST_ID)
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String PROPERTY = "mamori.requestId";

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(PROPERTY) == null) {
            ExecutionContext.current().ifPresent(c -> request.setProperty(PROPERTY, c.requestId()));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String id = of(request);
        if (id == null) {
            id = Problems.currentRequestId();
        }
        if (id != null) {
            response.getHeaders().putSingle(RestConstants.REQUEST_ID_HEADER, id);
        }
    }

    static String of(ContainerRequestContext request) {
        Object id = request == null ? null : request.getProperty(PROPERTY);
        return id == null ? null : id.toString();
    }
}
