package dev.mamori.auth.internal.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import inet.ipaddr.IPAddress;

/**
 * Who the client is, behind trusted proxies. {@code X-Forwarded-For} is read only when the
 * connection comes from a configured trusted proxy, and then from the right: the first address
 * that is not itself a trusted proxy is the client (anything left of it was written by the client
 * and proves nothing). A malformed entry makes the address unknown, never the proxy's own.
 */
public final class ClientAddress {
    /** Most entries read from the forwarding headers. */
    static final int MAX_HOPS = 20;

    private ClientAddress() {
    }

    /**
     * @param remote         the connection's peer address
     * @param forwardedFor   every {@code X-Forwarded-For} header value, in order (may be empty)
     * @param trustedProxies the configured proxies; empty trusts none
     * @return the client's address, or empty if it cannot be told (a malformed chain)
     */
    public static Optional<String> resolve(String remote, List<String> forwardedFor, IpRanges trustedProxies) {
        Optional<IPAddress> peer = IpRanges.address(remote);
        if (peer.isEmpty()) {
            return Optional.empty();
        }
        if (trustedProxies.unrestricted() || !trustedProxies.allows(peer.get().toCanonicalString()) || forwardedFor.isEmpty()) {
            return Optional.of(peer.get().toCanonicalString());
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) {
                hops.add(part.strip());
            }
        }
        if (hops.size() > MAX_HOPS) {
            // only the rightmost entries can have been written by trusted proxies; the rest is the
            // client's own text, and dropping it must not make the address "unknown" (a shared bucket)
            hops = new ArrayList<>(hops.subList(hops.size() - MAX_HOPS, hops.size()));
        }
        String client = peer.get().toCanonicalString();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<IPAddress> hop = IpRanges.address(hops.get(i));
            if (hop.isEmpty()) {
                return Optional.empty();
            }
            client = hop.get().toCanonicalString();
            if (!trustedProxies.allows(client)) {
                return Optional.of(client);
            }
        }
        // every hop a trusted proxy: the leftmost is the client
        return Optional.of(client);
    }
}
