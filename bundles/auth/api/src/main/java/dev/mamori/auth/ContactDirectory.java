package dev.mamori.auth;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The contacts the platform needs to tell a tenant's people something it must tell them (incident
 * notices, NTF-1..6): the addresses are decrypted from the personal-data store only when a message
 * goes out, for the platform itself ({@code SYSTEM} principal) acting in the bound tenant under the
 * purpose {@value #PURPOSE}; every other caller is refused (operators never read personal data,
 * OPS-2). Every call is a read event ({@link AuthEvents#CONTACTS_READ}) with a count, never the addresses.
 *
 * @since 2.3
 */
@ProviderType
public interface ContactDirectory {
    /** The platform purpose (bound by {@code TenantContext.callAsPlatform}) under which contacts may be read. */
    String PURPOSE = "notification.delivery";

    /**
     * @param role a tenant role, e.g. {@link Roles#TENANT_ADMIN}
     * @return the bound tenant's active accounts holding it, in login-name order, with their contacts
     * @throws dev.mamori.platform.error.MamoriException forbidden for any other caller or purpose
     */
    List<Contact> withRole(String role);

    /**
     * @param userId an account of the bound tenant
     * @return its contact, if it is active (a deactivated or erased account is told nothing)
     */
    Optional<Contact> of(String userId);
}
