package dev.mamori.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;

import org.apache.cxf.jaxrs.model.wadl.WadlGenerator;

/**
 * Takes the place of CXF's WADL generator, which would otherwise answer {@code ?_wadl} on every
 * path: the API's one published description is openapi.json. CXF runs this filter before any
 * other, so it exposes the request id and consults the required-slot gate itself.
 */
final class NoWadl extends WadlGenerator {
    private final RequestIdFilter requestIds = new RequestIdFilter();
    private final RequiredSlotGate gate;

    NoWadl(RequiredSlotGate gate) {
        this.gate = gate;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getQueryParameters().containsKey("_wadl")) {
            requestIds.filter(request);
            request.abortWith(gate.refusal(request).orElseGet(() -> Problems.of(request, "not-found", 404, "Not Found",
                    "No resource at this path.").toResponse()));
        }
    }
}
