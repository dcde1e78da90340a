package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

class RequestIdFilterTest {

    @Test
    @DisplayName("AUD-2: the request id is the bound execution context's, echoed on the response")
    void fromContext() {
        Jaxrs.Request r = new Jaxrs.Request();
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        ExecutionContext context = ExecutionContext.builder(Channel.REST).build();
        context.run(() -> {
            new RequestIdFilter().filter(r.context());
            new RequestIdFilter().filter(r.context(), Jaxrs.response(headers));
        });
        assertEquals(context.requestId(), r.properties.get(RequestIdFilter.PROPERTY));
        assertEquals(List.of(context.requestId()), headers.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals(context.requestId(), RequestIdFilter.of(r.context()));
    }

    @Test
    @DisplayName("SEC-7: the filter neither reads nor echoes the caller's header: the context decided the id")
    void callerHeaderIgnored() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.headers.add(RestConstants.REQUEST_ID_HEADER, "x\r\nSet-Cookie: a=b");
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        ExecutionContext context = ExecutionContext.builder(Channel.REST).build();
        context.run(() -> {
            new RequestIdFilter().filter(r.context());
            new RequestIdFilter().filter(r.context(), Jaxrs.response(headers));
        });
        assertEquals(List.of(context.requestId()), headers.get(RestConstants.REQUEST_ID_HEADER));
    }

    @Test
    @DisplayName("AUD-2: an id already assigned to this request (by an earlier filter) is kept")
    void assignedOnce() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.properties.put(RequestIdFilter.PROPERTY, "0123456789abcdef01234567");
        ExecutionContext.builder(Channel.REST).build().run(() -> new RequestIdFilter().filter(r.context()));
        assertEquals("0123456789abcdef01234567", r.properties.get(RequestIdFilter.PROPERTY));
    }

    @Test
    @DisplayName("AUD-2: without a bound context the filter invents nothing")
    void noContext() {
        Jaxrs.Request r = new Jaxrs.Request();
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        new RequestIdFilter().filter(r.context());
        new RequestIdFilter().filter(r.context(), Jaxrs.response(headers));
        assertNull(r.properties.get(RequestIdFilter.PROPERTY));
        assertFalse(headers.containsKey(RestConstants.REQUEST_ID_HEADER));
        assertNull(RequestIdFilter.of(null));
    }
}
