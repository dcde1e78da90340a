package dev.mamori.auth;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator and support accounts (OPS-1..3), managed by operators only. They sign in like tenant
 * users but without a tenant, always with a second factor, from the platform's allow-list; each
 * account is created without a password and set up with a single-use reset token, so whoever
 * creates it never knows its password. Every change publishes an {@link AuthEvents} event.
 */
@ProviderType
public interface PlatformAccountService {
    /**
     * @param loginName login name, unique on the platform
     * @param role      {@link Roles#OPERATOR} or {@link Roles#SUPPORT}
     * @return the reset token with which the person sets a password (shown once)
     */
    String create(String loginName, String role);

    /** @return every platform account, by login name */
    List<PlatformAccount> list();

    /** Clears a lockout. @param loginName login name @return the account */
    PlatformAccount unlock(String loginName);

    /** Removes the second factor and recovery codes and ends the sessions. @return the account */
    PlatformAccount resetMfa(String loginName);

    /** Deactivates and ends the sessions. @return the account */
    PlatformAccount deactivate(String loginName);

    /** @return the reactivated account */
    PlatformAccount reactivate(String loginName);

    /** Forces a password reset and ends the sessions. @return the single-use reset token */
    String forcePasswordReset(String loginName);
}
