package dev.mamori.auth.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A second factor (IAM-10, IAM-11). TOTP is built in ({@code mfa.factor=totp}); another factor,
 * such as WebAuthn, is a plugin registering this service with its {@value #FACTOR} id. A session
 * in {@code MFA_REQUIRED} state passes when any factor the account has enrolled verifies.
 */
@ConsumerType
public interface MfaFactor {
    /** Service property: the factor id used in {@code /auth/mfa/verify}. */
    String FACTOR = "mfa.factor";

    /**
     * @param tenantId tenant of the account (bound in the execution context)
     * @param userId   account
     * @return whether the account has this factor enrolled
     */
    boolean enrolled(String tenantId, String userId);

    /**
     * Verifies a response once: a response accepted before must be refused (no replay).
     *
     * @param tenantId tenant of the account (bound in the execution context)
     * @param userId   account
     * @param response what the person gave
     * @return whether it proves the factor
     */
    boolean verify(String tenantId, String userId, String response);
}
