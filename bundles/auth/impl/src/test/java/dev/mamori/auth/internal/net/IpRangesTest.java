package dev.mamori.auth.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;

/** IAM-12, OPS-3: allow-lists over IPv4 and IPv6, and the client address behind proxies. */
class IpRangesTest {

    @Test
    @DisplayName("IAM-12: IPv4 ranges - inside allowed, next to them refused")
    void ipv4() {
        IpRanges r = IpRanges.parse(List.of("203.0.113.0/24", "198.51.100.7"));
        assertTrue(r.allows("203.0.113.0"));
        assertTrue(r.allows("203.0.113.255"));
        assertFalse(r.allows("203.0.114.0"));
        assertFalse(r.allows("203.0.112.255"));
        assertTrue(r.allows("198.51.100.7"));
        assertFalse(r.allows("198.51.100.8"));
        // what a dual-stack listener reports for an IPv4 client
        assertTrue(r.allows("::ffff:203.0.113.9"));
        assertFalse(r.allows("::ffff:203.0.114.9"));
    }

    @Test
    @DisplayName("IAM-12: IPv6 ranges, with or without brackets; IPv4 ranges never match IPv6 clients")
    void ipv6() {
        IpRanges r = IpRanges.parse(List.of("2001:db8:1::/48", "10.0.0.0/8"));
        assertTrue(r.allows("2001:db8:1::1"));
        assertTrue(r.allows("[2001:db8:1:ffff::5]"));
        assertFalse(r.allows("2001:db8:2::1"));
        assertFalse(r.allows("::a00:1"), "IPv4-compatible is not IPv4-mapped");
        assertTrue(r.allows("10.200.0.1"));
    }

    @Test
    @DisplayName("IAM-12: empty allows all; a non-address is never allowed by a non-empty list")
    void emptyAndGarbage() {
        assertTrue(IpRanges.parse(List.of()).allows("192.0.2.1"));
        assertTrue(IpRanges.parse(List.of()).unrestricted());
        IpRanges r = IpRanges.parse(List.of("0.0.0.0/0"));
        assertFalse(r.allows(null));
        assertFalse(r.allows("localhost"));
        assertFalse(r.allows("10.0.0.0/8"));
        assertFalse(r.allows("2001:db8::1"), "0.0.0.0/0 is IPv4 only");
    }

    @Test
    @DisplayName("IAM-12: bad entries are refused with the entry named; host bits set is explained")
    void invalid() {
        for (String bad : List.of("", "300.1.1.1", "10.0.0.0/33", "example.com", "10.1", "010.0.0.1", "*", "2001:db8::/129")) {
            AuthException e = assertThrows(AuthException.class, () -> IpRanges.parse(List.of(bad)), bad);
            assertEquals(AuthErrors.INVALID_IP_RANGE, e.errorCode());
        }
        AuthException e = assertThrows(AuthException.class, () -> IpRanges.parse(List.of("10.1.2.3/8")));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), e.getMessage());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), IpRanges.parse(List.of(" 10.0.0.0/8", "2001:0db8::/32")).canonical());
    }

    @Test
    @DisplayName("IAM-12, OPS-3: one canonical form per range - no /32 or /128 on a single address, IPv4-mapped forms as IPv4")
    void canonicalForms() {
        assertEquals(List.of("127.0.0.1", "127.0.0.1", "::1", "::1", "192.0.2.1", "10.0.0.0/8", "0.0.0.0/0", "::/0", "2001:db8::/32"),
                IpRanges.parse(List.of("127.0.0.1/32", "127.0.0.1", "::1/128", "0::1", "::ffff:192.0.2.1/128", "::ffff:10.0.0.0/104",
                        "0.0.0.0/0", "::/0", "2001:db8::/32")).canonical());
        // the platform list and the trusted proxies read from configuration get the same forms
        assertEquals(List.of("10.0.0.1", "fd00::1"), IpRanges.fromConfig(new String[] {"10.0.0.1/32, fd00::1/128"}).canonical());
        // an IPv4-mapped range now matches the IPv4 clients it names (a dual-stack listener reports them mapped or not)
        IpRanges mapped = IpRanges.parse(List.of("::ffff:10.0.0.0/104"));
        assertTrue(mapped.allows("10.1.2.3"));
        assertTrue(mapped.allows("::ffff:10.1.2.3"));
        assertFalse(mapped.allows("11.0.0.1"));
    }

    @Test
    @DisplayName("IAM-12: X-Forwarded-For only from a trusted proxy, read from the right")
    void behindProxies() {
        IpRanges proxies = IpRanges.parse(List.of("10.0.0.0/8", "fd00::/8"));
        // an untrusted peer's header is ignored: a client cannot claim an address
        assertEquals(Optional.of("198.51.100.9"), ClientAddress.resolve("198.51.100.9", List.of("203.0.113.5"), proxies));
        // trusted proxy: the rightmost untrusted hop is the client; what the client wrote left of it proves nothing
        assertEquals(Optional.of("203.0.113.5"),
                ClientAddress.resolve("10.0.0.2", List.of("192.0.2.66, 203.0.113.5", "10.0.0.9"), proxies));
        assertEquals(Optional.of("2001:db8::7"), ClientAddress.resolve("fd00::1", List.of("2001:db8::7"), proxies));
        // no proxies configured: the header is never read
        assertEquals(Optional.of("10.0.0.2"), ClientAddress.resolve("10.0.0.2", List.of("203.0.113.5"), IpRanges.parse(List.of())));
        // a malformed hop makes the client unknown, not the proxy
        assertEquals(Optional.empty(), ClientAddress.resolve("10.0.0.2", List.of("203.0.113.5, junk"), proxies));
        // a proxy without a header: the proxy is the client
        assertEquals(Optional.of("10.0.0.2"), ClientAddress.resolve("10.0.0.2", List.of(), proxies));
        assertEquals(Optional.of("203.0.113.5"), ClientAddress.resolve("::ffff:10.0.0.2", List.of("203.0.113.5"), proxies));
        // an over-long chain: the rightmost entries count, the client-written rest is dropped
        assertEquals(Optional.of("1.1.1.1"), ClientAddress.resolve("10.0.0.2", List.of("9.9.9.9,".repeat(25) + "1.1.1.1"), proxies));
    }

    @Test
    @DisplayName("IAM-12, OPS-3: a .cfg line holds several ranges; an empty line is no range (unrestricted), not an error")
    void fromConfig() {
        assertTrue(IpRanges.fromConfig(new String[] {""}).unrestricted());
        assertTrue(IpRanges.fromConfig(new String[0]).unrestricted());
        IpRanges r = IpRanges.fromConfig(new String[] {"203.0.113.0/24, 2001:db8::/32 10.0.0.1"});
        assertEquals(List.of("203.0.113.0/24", "2001:db8::/32", "10.0.0.1"), r.canonical());
        assertTrue(r.allows("2001:db8::5"));
        assertFalse(r.allows("198.51.100.1"));
    }

    @Test
    @DisplayName("SEC-12: throttles count an IPv6 client by its /64 (rotating through it resets nothing), IPv4 by address")
    void throttleKeys() {
        assertEquals(IpRanges.throttleKey("2001:db8:1:2::1"), IpRanges.throttleKey("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertFalse(IpRanges.throttleKey("2001:db8:1:2::1").equals(IpRanges.throttleKey("2001:db8:1:3::1")));
        assertEquals("203.0.113.5", IpRanges.throttleKey("203.0.113.5"));
        assertFalse(IpRanges.throttleKey("203.0.113.5").equals(IpRanges.throttleKey("203.0.113.6")));
        assertEquals("203.0.113.5", IpRanges.throttleKey("::ffff:203.0.113.5"), "an IPv4-mapped address is its IPv4 address");
        assertEquals("unknown", IpRanges.throttleKey(null));
        assertEquals("unknown", IpRanges.throttleKey("not-an-address"));
    }
}
