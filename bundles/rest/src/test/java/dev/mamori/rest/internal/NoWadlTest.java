package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

class NoWadlTest {

    @Test
    @DisplayName("OPS-6: ?_wadl is answered 404 problem+json with the request id (openapi.json is the one description)")
    void wadlHidden() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.uri = URI.create("https://localhost/api/v1/health?_wadl");
        r.query.add("_wadl", "");
        ExecutionContext context = ExecutionContext.builder(Channel.REST).build();
        context.run(() -> new NoWadl(new RequiredSlotGate(new SlotFilters())).filter(r.context()));
        assertEquals(404, r.aborted.getStatus());
        assertEquals(RestConstants.PROBLEM_JSON, r.aborted.getMediaType().toString());
        Problem p = (Problem) r.aborted.getEntity();
        assertEquals("urn:mamori:problem:not-found", p.type);
        assertEquals(context.requestId(), r.properties.get(RequestIdFilter.PROPERTY));
        assertEquals(context.requestId(), p.requestId);
        assertEquals("/health", p.instance);
    }

    @Test
    @DisplayName("SEC-4: ?_wadl gets the 503 too while a required slot is empty")
    void wadlGated() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.query.add("_wadl", "");
        SlotFilters slots = new SlotFilters();
        slots.require(List.of(RestConstants.SLOT_AUTHENTICATION));
        new NoWadl(new RequiredSlotGate(slots)).filter(r.context());
        assertEquals(503, r.aborted.getStatus());
    }

    @Test
    @DisplayName("OPS-6: other requests pass untouched")
    void otherRequests() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.query.add("wadl", "");
        new NoWadl(new RequiredSlotGate(new SlotFilters())).filter(r.context());
        assertNull(r.aborted);
        assertNull(r.properties.get(RequestIdFilter.PROPERTY));
    }
}
