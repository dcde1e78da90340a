package dev.mamori.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's accounts, managed by its admins (IAM-1, IAM-2, IAM-3, IAM-5). Every method runs for
 * the tenant bound in the execution context and checks the caller: changes need the
 * {@link Roles#TENANT_ADMIN} role of that tenant; users read themselves. Another tenant's
 * account is never found. Every change publishes an {@link AuthEvents} event.
 */
@ProviderType
public interface UserService {
    /**
     * @param user the new account
     * @return the account
     * @throws PasswordRejectedException if the password breaks the rules of the roles
     */
    User create(NewUser user);

    /** @return the tenant's accounts, by login name */
    List<User> list();

    /**
     * @param userId account id
     * @return the account, if it exists in the bound tenant and the caller may see it
     */
    Optional<User> find(String userId);

    /**
     * @param employeeNumber an employee number (IAM-3)
     * @return the account that has it in the bound tenant, if the caller may see that account (itself or
     *         the tenant's admins); empty otherwise, the same as for a number nobody has
     * @since 2.2
     */
    Optional<User> findByEmployeeNumber(String employeeNumber);

    /**
     * @param userId account id
     * @return its personal data, decrypted (empty once erased); the owner or a tenant admin; every read that
     *         returns data is recorded as {@link AuthEvents#PROFILE_READ} first (AUD-1)
     */
    Optional<Profile> profile(String userId);

    /** @return the changed account */
    User update(String userId, UserChange change);

    /**
     * Replaces the account's roles; the account's sessions are revoked (SEC-4).
     *
     * @return the changed account
     */
    User setRoles(String userId, Set<String> roles);

    /**
     * Replaces the account's scoped permissions (IAM-2), written as Shiro wildcard permissions
     * {@code domain:action:scope}; the account's sessions are revoked.
     *
     * @return the changed account
     */
    User setPermissions(String userId, Set<String> permissions);

    /** Deactivates the account and revokes its sessions. @return the changed account */
    User deactivate(String userId);

    /** @return the reactivated account */
    User reactivate(String userId);

    /** Clears a lockout and the failure counter (IAM-9). @return the changed account */
    User unlock(String userId);

    /** Removes the account's second factor and recovery codes, and revokes its sessions. @return the changed account */
    User resetMfa(String userId);

    /**
     * Forces a password reset: the current password stops working, sessions are revoked, and a
     * single-use, short-lived reset token is returned for delivery to the person (IAM-14).
     *
     * @return the reset token (shown once; stored only hashed)
     */
    String forcePasswordReset(String userId);

    /**
     * Erases the person's personal data (IAM-5, LEG-3): destroys their key in the vault, removes the
     * blind index and the encrypted profile, pseudonymises the login name and clears the employee
     * number. The account stays, deactivated, so references and the audit trail still resolve.
     *
     * @param userId       account id
     * @param confirmation the account id again
     * @return the erased account
     */
    User erase(String userId, String confirmation);

    /**
     * Like {@link #erase}, saying also what each {@link dev.mamori.auth.spi.ErasureParticipant} did
     * with the person's data (their records: trashed or pseudonymised, by category's rule).
     *
     * @param userId       account id
     * @param confirmation the account id again
     * @return the erased account and the effects
     * @since 2.2
     */
    Erasure eraseWithEffects(String userId, String confirmation);
}
