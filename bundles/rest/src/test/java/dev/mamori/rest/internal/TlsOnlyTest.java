package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.rest.internal.ApiHarness.Resp;
import dev.mamori.rest.internal.RoutingTest.Probe;
import dev.mamori.rest.spi.RestConstants;

/** CRY-1: the API itself refuses requests that did not arrive over TLS, whatever the connectors are. */
class TlsOnlyTest {
    private ApiHarness api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiHarness();
        api.deploy(new Probe());
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private static void assertTlsRequired(Resp r) {
        assertEquals(403, r.status, r.toString());
        assertTrue(r.get("Content-Type").startsWith(RestConstants.PROBLEM_JSON), r.get("Content-Type"));
        assertTrue(r.body.contains("\"type\":\"urn:mamori:problem:tls-required\""), r.body);
        assertNotNull(r.get(RestConstants.REQUEST_ID_HEADER));
        assertEquals("nosniff", r.get("X-Content-Type-Options"));
        assertNull(r.get("Location"), "no redirect to HTTPS");
        assertNull(r.get("Strict-Transport-Security"), "HSTS means nothing over plain HTTP");
    }

    @Test
    @DisplayName("CRY-1: a plain-HTTP request never reaches a resource: 403 problem+json tls-required, health included")
    void cry1_plainHttpIsRefused() throws Exception {
        assertEquals(200, api.get("/api/v1/probe").status, "the same request over TLS is served");
        api.secure = false;
        assertTlsRequired(api.get("/api/v1/probe"));
        assertTlsRequired(api.get("/api/v1/health"));
        assertTlsRequired(api.request("POST", "/api/v1/probe"));
        // a client cannot claim TLS for itself
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: https"));
    }

    @Test
    @DisplayName("CRY-1: behind a trusted TLS-terminating proxy, only requests it forwarded from HTTPS are served")
    void cry1_trustedProxyForwardingHttps() throws Exception {
        api.secure = false;
        api.remoteAddress = "10.1.2.3";
        api.transport = TlsOnly.of("192.0.2.1", "10.1.0.0/16");
        assertEquals(200, api.get("/api/v1/probe", "X-Forwarded-Proto: https").status);
        assertEquals(200, api.get("/api/v1/probe", "X-Forwarded-Proto: HTTPS").status);
        // the proxy's client used plain HTTP, or the proxy said nothing
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: http"));
        assertTlsRequired(api.get("/api/v1/probe"));
        // the nearest proxy's value counts, not what its client put in front of it
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: https, http"));
        assertEquals(200, api.get("/api/v1/probe", "X-Forwarded-Proto: http, https").status);
        // the same header from an address outside the trusted blocks
        api.remoteAddress = "10.2.0.1";
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: https"));
    }

    @Test
    @DisplayName("CRY-1: proxy entries are IP literals or CIDR blocks; anything else trusts nobody")
    void cry1_proxyEntries() {
        TlsOnly t = TlsOnly.of("10.0.0.1, 2001:db8::/32", "proxy.example.com", "10.0.0.0/33", "300.1.1.1", "", null);
        assertEquals(2, t.proxies());
        assertEquals(List.of("proxy.example.com", "10.0.0.0/33", "300.1.1.1"), t.rejected());
        assertEquals(0, TlsOnly.of().proxies());
        assertEquals(0, TlsOnly.of((String[]) null).proxies());
    }

    @Test
    @DisplayName("CRY-1: addresses are parsed as literals only, IPv4-mapped IPv6 as IPv4")
    void literals() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, TlsOnly.literal("10.0.0.1"));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, TlsOnly.literal("::ffff:10.0.0.1"));
        assertEquals(16, TlsOnly.literal("[2001:db8::1]").length);
        assertEquals(16, TlsOnly.literal("fe80::1%eth0").length);
        assertNull(TlsOnly.literal("localhost"));
        assertNull(TlsOnly.literal("256.0.0.1"));
        assertNull(TlsOnly.literal("1.2.3"));
        assertNull(TlsOnly.literal(null));
    }

    @Test
    @DisplayName("CRY-1: CIDR blocks match on their prefix bits only")
    void cidr() throws Exception {
        api.secure = false;
        api.transport = TlsOnly.of("192.0.2.128/25", "2001:db8:abcd::/48");
        api.remoteAddress = "192.0.2.200";
        assertEquals(200, api.get("/api/v1/probe", "X-Forwarded-Proto: https").status);
        api.remoteAddress = "192.0.2.127";
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: https"));
        api.remoteAddress = "2001:db8:abcd:12::7";
        assertEquals(200, api.get("/api/v1/probe", "X-Forwarded-Proto: https").status);
        api.remoteAddress = "2001:db8:abce::7";
        assertTlsRequired(api.get("/api/v1/probe", "X-Forwarded-Proto: https"));
        assertFalse(TlsOnly.of("192.0.2.128/25").proxies() == 0);
    }
}
