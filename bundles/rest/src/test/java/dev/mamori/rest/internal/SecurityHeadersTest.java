package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    private static MultivaluedMap<String, Object> filter(String uri, MultivaluedMap<String, Object> headers) {
        Jaxrs.Request r = new Jaxrs.Request();
        r.uri = URI.create(uri);
        new SecurityHeaders().filter(r.context(), Jaxrs.response(headers));
        return headers;
    }

    @Test
    @DisplayName("SEC-9: every response forbids framing (X-Frame-Options DENY, CSP frame-ancestors 'none')")
    void clickjacking() {
        MultivaluedMap<String, Object> h = filter("https://localhost/api/v1/health", new MultivaluedHashMap<>());
        assertEquals(List.of("DENY"), h.get("X-Frame-Options"));
        String csp = (String) h.getFirst("Content-Security-Policy");
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
    }

    @Test
    @DisplayName("SEC-5/IAM-13: no sniffing, no caching, no referrer on every response")
    void otherHeaders() {
        MultivaluedMap<String, Object> h = filter("http://localhost/api/v1/health", new MultivaluedHashMap<>());
        assertEquals("nosniff", h.getFirst("X-Content-Type-Options"));
        assertEquals("no-store", h.getFirst("Cache-Control"));
        assertEquals("no-cache", h.getFirst("Pragma"));
        assertEquals("no-referrer", h.getFirst("Referrer-Policy"));
    }

    @Test
    @DisplayName("CRY-1: HSTS is sent on HTTPS only")
    void hsts() {
        assertEquals("max-age=31536000; includeSubDomains",
                filter("https://localhost/api/v1/x", new MultivaluedHashMap<>()).getFirst("Strict-Transport-Security"));
        assertFalse(filter("http://localhost/api/v1/x", new MultivaluedHashMap<>()).containsKey("Strict-Transport-Security"));
    }

    @Test
    @DisplayName("SEC-9: a resource cannot weaken the headers: values it set are replaced, not added to")
    void overridesResourceValues() {
        MultivaluedMap<String, Object> h = new MultivaluedHashMap<>();
        h.add("X-Frame-Options", "ALLOWALL");
        h.add("Cache-Control", "public, max-age=3600");
        filter("https://localhost/api/v1/x", h);
        assertEquals(List.of("DENY"), h.get("X-Frame-Options"));
        assertEquals(List.of("no-store"), h.get("Cache-Control"));
    }
}
