package dev.mamori.auth;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-tenant IP allow-lists of IPv4 and IPv6 CIDR ranges (IAM-12), enforced at sign-in and on
 * every request of the tenant's users; the platform's own list restricts operators and support.
 * Empty means unrestricted.
 */
@ProviderType
public interface IpAllowListService {
    /** @return the bound tenant's ranges, canonical; tenant admins only */
    List<String> list();

    /**
     * Replaces the bound tenant's list; tenant admins only. A list that would shut out the calling
     * admin's own address is refused.
     *
     * @param ranges addresses or CIDR ranges
     * @return the stored list, canonical
     * @throws AuthException {@link AuthErrors#INVALID_IP_RANGE}
     */
    List<String> replace(List<String> ranges);

    /**
     * @param tenantId tenant id
     * @param clientIp the client address (null = unknown, never allowed by a non-empty list)
     * @return whether the tenant's list lets the address in
     */
    boolean allows(String tenantId, String clientIp);

    /**
     * @param clientIp the client address (null = unknown)
     * @return whether the platform's list ({@code dev.mamori.auth/platform.allowlist}) lets an
     *         operator or support account in from there (OPS-3)
     */
    boolean allowsPlatform(String clientIp);
}
