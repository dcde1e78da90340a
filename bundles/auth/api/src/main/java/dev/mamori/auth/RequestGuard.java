package dev.mamori.auth;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the REST adapter asks before anything else about a request: which address it really comes
 * from (IAM-12) and whether that address is flooding the API (SEC-12).
 */
@ProviderType
public interface RequestGuard {
    /**
     * @param remote       the socket's peer address
     * @param forwardedFor the {@code X-Forwarded-For} header values, in order (may be empty)
     * @return the client address: the peer, or the first address before the trusted proxies when
     *         the peer is a configured trusted proxy; null when it cannot be told (a malformed
     *         chain): never the proxy's own address, and a non-empty allow-list refuses null
     */
    String clientAddress(String remote, List<String> forwardedFor);

    /**
     * Counts one request of the address against the flood limit, as arriving now.
     *
     * @param clientAddress the client address
     * @throws AuthException {@link AuthErrors#TOO_MANY_ATTEMPTS} with a retry-after when it is over
     */
    void admit(String clientAddress);

    /**
     * Counts one request of the address against the flood limit by when it arrived, which may be
     * well before now and after requests counted already: a request the REST layer held while a
     * bundle was swapped ({@code dev.mamori.rest.spi.RestConstants.ARRIVED}). A client that sent
     * below the limit is not refused because its requests were counted together; one that flooded
     * is, however late its requests are counted.
     *
     * @param clientAddress the client address
     * @param arrivedAt     when the request arrived, by the system clock
     * @throws AuthException {@link AuthErrors#TOO_MANY_ATTEMPTS} with a retry-after when it is over
     * @since 2.1
     */
    void admit(String clientAddress, Instant arrivedAt);
}
