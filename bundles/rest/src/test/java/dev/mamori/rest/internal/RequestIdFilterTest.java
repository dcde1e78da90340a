package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.rest.spi.RestConstants;

class RequestIdFilterTest {
    private static final String GENERATED = "[0-9a-f]{24}";

    private static Jaxrs.Request run(String suppliedId) {
        Jaxrs.Request r = new Jaxrs.Request();
        if (suppliedId != null) {
            r.headers.add(RestConstants.REQUEST_ID_HEADER, suppliedId);
        }
        new RequestIdFilter().filter(r.context());
        return r;
    }

    @Test
    @DisplayName("AUD-2: a request without an id gets a fresh random one, echoed on the response")
    void generated() {
        Jaxrs.Request r = run(null);
        String id = (String) r.properties.get(RequestIdFilter.PROPERTY);
        assertTrue(id.matches(GENERATED), id);
        assertNull(r.aborted);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        new RequestIdFilter().filter(r.context(), Jaxrs.response(headers));
        assertEquals(List.of(id), headers.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals(id, RequestIdFilter.of(r.context()));
        assertNotEquals(id, run(null).properties.get(RequestIdFilter.PROPERTY));
    }

    @Test
    @DisplayName("AUD-2: a well-formed caller id is kept, so a trace spans systems")
    void safeIdReused() {
        assertEquals("client-Trace_01.x", run("client-Trace_01.x").properties.get(RequestIdFilter.PROPERTY));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"short", "x\r\nSet-Cookie: a=b", "id with space", "<script>alert(1)</script>", "ididid\u0000id",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    @DisplayName("SEC-7: a caller id that could inject into headers or logs is replaced by a generated one")
    void unsafeIdReplaced(String supplied) {
        String id = (String) run(supplied).properties.get(RequestIdFilter.PROPERTY);
        assertTrue(id.matches(GENERATED), id);
    }

    @Test
    @DisplayName("AUD-2: an id already assigned to this request (by an earlier filter) is kept")
    void assignedOnce() {
        Jaxrs.Request r = new Jaxrs.Request();
        r.headers.add(RestConstants.REQUEST_ID_HEADER, "from-the-client-1");
        r.properties.put(RequestIdFilter.PROPERTY, "0123456789abcdef01234567");
        new RequestIdFilter().filter(r.context());
        assertEquals("0123456789abcdef01234567", r.properties.get(RequestIdFilter.PROPERTY));
    }

    @Test
    @DisplayName("AUD-2: without a request there is no id")
    void noRequest() {
        assertNull(RequestIdFilter.of(null));
    }
}
