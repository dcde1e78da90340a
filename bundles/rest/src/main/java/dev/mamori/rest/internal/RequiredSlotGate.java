package dev.mamori.rest.internal;

import java.util.List;
import java.util.Optional;

import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.rest.spi.RestConstants;

/**
 * Right after the request id, before matching, so it covers every path (health, resources,
 * unknown paths, openapi.json): while a requirement of the configuration (a slot, or a slot and
 * the name of the filter that must fill it) is not met, the API answers 503 rather than serve a
 * request that would skip, say, authentication. The snapshot of the slot chain it checked is the
 * one {@link SlotDispatcher} runs for this request, so a filter leaving in between cannot be
 * skipped. (Requests that arrive while a requirement is unmet have waited in {@link ApiServlet}
 * for it first; this answers those that waited in vain.)
 */
@PreMatching
@Priority(RestConstants.PRIORITY_REQUIRED_SLOTS)
final class RequiredSlotGate implements ContainerRequestFilter {
    /** Seconds a client should wait: filling a slot takes a bundle start, not a moment. */
    static final long RETRY_AFTER_SECONDS = 5;
    private final SlotFilters slots;

    RequiredSlotGate(SlotFilters slots) {
        this.slots = slots;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        refusal(request).ifPresent(request::abortWith);
    }

    /**
     * @param request the request
     * @return the 503 answer while a required slot is empty
     */
    Optional<Response> refusal(ContainerRequestContext request) {
        SlotFilters.Snapshot snapshot = slots.snapshot();
        request.setProperty(SlotDispatcher.CHECKED, snapshot);
        List<String> missing = snapshot.unmet(slots.required());
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(refusal(request, missing));
    }

    /**
     * @param request the request
     * @param missing the unmet requirements
     * @return the 503 answer
     */
    static Response refusal(ContainerRequestContext request, List<String> missing) {
        ErrorCode code = PlatformErrors.REQUIRED_SLOT_EMPTY;
        String detail = "The API is not available: no filter is registered for the required slot"
                + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ".";
        return Problems.of(request, code.code(), 503, code.title(), detail).retryAfter(RETRY_AFTER_SECONDS).toResponse();
    }
}
