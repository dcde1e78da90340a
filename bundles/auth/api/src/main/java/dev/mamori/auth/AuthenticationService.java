package dev.mamori.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sign-in, sessions, second factor and passwords of tenant users (IAM-6..14, SEC-4, SEC-12). The
 * client address comes from the execution context. Failures give one answer
 * ({@link AuthErrors#INVALID_CREDENTIALS}) whatever the reason, so nobody learns which accounts
 * exist; every attempt, success or failure, publishes an {@link AuthEvents} event.
 */
@ProviderType
public interface AuthenticationService {
    /**
     * @param credentials tenant, login name or e-mail, password
     * @return a session; fully signed in only if the account needs no second factor
     * @throws AuthException {@link AuthErrors#INVALID_CREDENTIALS} or {@link AuthErrors#TOO_MANY_ATTEMPTS}
     */
    SignIn signIn(Credentials credentials);

    /**
     * Signs in with the password and the second factor's code in one step - the one sign-in with a
     * code that every adapter uses (the shell's {@code "<password> <code>"}, a REST sign-in with
     * {@code otp}): the password step of {@link #signIn(Credentials)}, then, when the account has a
     * second factor and a code is given, {@link #verifyMfa} with it on the new session. A wrong code
     * counts exactly one failure and ends that half-signed-in session at once, so that it is not
     * counted a second time as an abandoned password step (IAM-9).
     *
     * @param credentials tenant, login name or e-mail, password
     * @param factor      factor id, e.g. {@code totp}
     * @param code        the code; null or blank: the same as {@link #signIn(Credentials)}
     * @return the session: {@link SessionState#AUTHENTICATED} after a right code; for an account without
     *         a second factor what {@link #signIn(Credentials)} returns (the code is not looked at)
     * @throws AuthException {@link AuthErrors#INVALID_CREDENTIALS} or {@link AuthErrors#TOO_MANY_ATTEMPTS}
     */
    SignIn signIn(Credentials credentials, String factor, String code);

    /**
     * @param token a session token
     * @return the valid session, touched (idle timeout restarts)
     * @throws AuthException {@link AuthErrors#SESSION_INVALID} when unknown, expired or revoked
     */
    Session authenticate(String token);

    /**
     * Verifies the second factor of a session in {@link SessionState#MFA_REQUIRED}; on success the
     * old token is revoked and a new one issued (step-up, SEC-4).
     *
     * @param token  session token
     * @param factor factor id, e.g. {@code totp}
     * @param code   the code or response
     * @return the new session
     */
    SignIn verifyMfa(String token, String factor, String code);

    /**
     * Signs in with a single-use recovery code instead of the second factor.
     *
     * @return the new session
     */
    SignIn recover(String token, String recoveryCode);

    /** Revokes the session; unknown tokens are ignored. */
    void signOut(String token);

    /**
     * Starts (or restarts) TOTP enrolment for the session's account.
     *
     * @return secret, URI and QR code
     */
    MfaEnrolment beginTotpEnrolment(String token);

    /**
     * Confirms the enrolment with a first code: the factor becomes active, ten recovery codes are
     * issued, and the session is replaced by a fully signed-in one.
     */
    MfaConfirmation confirmTotpEnrolment(String token, String code);

    /**
     * Changes the session's own password (IAM-8): the current one is required; every session of
     * the account is revoked and a new one returned.
     */
    SignIn changePassword(String token, char[] current, char[] next);

    /**
     * Sets a new password with a reset token a tenant admin issued; the token is used up, and the
     * account's lockout cleared.
     *
     * @param tenant     tenant slug or id
     * @param resetToken the token
     * @param next       the new password
     */
    void resetPassword(String tenant, String resetToken, char[] next);
}
