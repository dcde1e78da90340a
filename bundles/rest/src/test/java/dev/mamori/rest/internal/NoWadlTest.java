package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.rest.spi.RestConstants;

class NoWadlTest {

    @Test
    @DisplayName("OPS-6: ?_wadl is answered 404 problem+json with a request id (openapi.json is the one description)")
    void wadlHidden() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.uri = URI.create("https://localhost/api/v1/health?_wadl");
        r.query.add("_wadl", "");
        new NoWadl().filter(r.context());
        assertEquals(404, r.aborted.getStatus());
        assertEquals(RestConstants.PROBLEM_JSON, r.aborted.getMediaType().toString());
        Problem p = (Problem) r.aborted.getEntity();
        assertEquals("urn:mamori:problem:not-found", p.type);
        String id = (String) r.properties.get(RequestIdFilter.PROPERTY);
        assertTrue(id != null && id.matches("[0-9a-f]{24}"), String.valueOf(id));
        assertEquals(id, p.requestId);
        assertEquals("/health", p.instance);
    }

    @Test
    @DisplayName("OPS-6: other requests pass untouched")
    void otherRequests() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.query.add("wadl", "");
        new NoWadl().filter(r.context());
        assertNull(r.aborted);
        assertNull(r.properties.get(RequestIdFilter.PROPERTY));
    }
}
