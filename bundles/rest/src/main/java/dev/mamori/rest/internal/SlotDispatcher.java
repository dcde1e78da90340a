package dev.mamori.rest.internal;

import java.io.IOException;
import java.util.List;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

import dev.mamori.rest.spi.RestConstants;

/**
 * The slot chain inside the JAX-RS chain: one built-in filter that runs the slot filters of the
 * snapshot current when the request arrives. Filters come and go through {@link SlotFilters},
 * so the CXF server is never rebuilt for them. Exceptions a slot filter throws propagate to the
 * exception mappers (a {@code MamoriException} UNAUTHENTICATED becomes 401 problem+json).
 */
@Priority(RestConstants.PRIORITY_SLOTS)
final class SlotDispatcher implements ContainerRequestFilter, ContainerResponseFilter {
    /** Request property: the snapshot the request filters ran with, so the response side runs the same chain. */
    static final String SNAPSHOT = "mamori.rest.slotSnapshot";
    /** Request property: the snapshot {@link RequiredSlotGate} checked, which the chain then runs. */
    static final String CHECKED = "mamori.rest.checkedSlots";
    private final SlotFilters slots;

    SlotDispatcher(SlotFilters slots) {
        this.slots = slots;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        recordResource(request);
        Object checked = request.getProperty(CHECKED);
        SlotFilters.Snapshot snapshot;
        if (checked instanceof SlotFilters.Snapshot) {
            snapshot = (SlotFilters.Snapshot) checked;
        } else {
            // not through the gate (never in the server's own chain): check what runs here
            snapshot = slots.snapshot();
            List<String> missing = snapshot.unmet(slots.required());
            if (!missing.isEmpty()) {
                request.abortWith(RequiredSlotGate.refusal(request, missing));
                return;
            }
        }
        request.setProperty(SNAPSHOT, snapshot);
        AbortWatch watched = new AbortWatch(request);
        for (ContainerRequestFilter f : snapshot.requestFilters()) {
            f.filter(watched);
            if (watched.aborted()) {
                return;
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        Object snapshot = request.getProperty(SNAPSHOT);
        // requests that never reached the slot chain (no matching resource, refused before matching)
        // were seen by no slot filter, so none of them sees the response either
        if (snapshot instanceof SlotFilters.Snapshot) {
            for (ContainerResponseFilter f : ((SlotFilters.Snapshot) snapshot).responseFilters()) {
                f.filter(request, response);
            }
        }
    }

    /** The matched resource, as JAX-RS's ResourceInfo would give it, for filters that read annotations. */
    private static void recordResource(ContainerRequestContext request) {
        Matched.operation().ifPresent(op -> {
            request.setProperty(RestConstants.RESOURCE_CLASS, op.getClassResourceInfo().getServiceClass());
            request.setProperty(RestConstants.RESOURCE_METHOD, op.getMethodToInvoke());
        });
    }
}
