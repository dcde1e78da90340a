package dev.mamori.auth;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;

/** Error codes of the auth capability, declared once. */
public final class AuthErrors {
    /**
     * Sign-in refused. One answer for an unknown account, a wrong password or code, a locked and a
     * deactivated account, so nobody learns which accounts exist (IAM-9).
     */
    public static final ErrorCode INVALID_CREDENTIALS = ErrorCode.of("invalid-credentials", ErrorKind.UNAUTHENTICATED,
            "Sign-in failed");
    /** No valid session: unknown, expired or revoked token (SEC-4). */
    public static final ErrorCode SESSION_INVALID = ErrorCode.of("session-invalid", ErrorKind.UNAUTHENTICATED,
            "Not signed in");
    /** The session must verify or enrol its second factor first (IAM-11). */
    public static final ErrorCode MFA_REQUIRED = ErrorCode.of("mfa-required", ErrorKind.FORBIDDEN,
            "Second factor required");
    /** The account lacks the scoped permission the operation needs (IAM-2, SEC-11). */
    public static final ErrorCode FORBIDDEN_PERMISSION = ErrorCode.of("permission-missing", ErrorKind.FORBIDDEN, "Permission missing");
    /** A cookie-authenticated state change without the matching CSRF token (SEC-6). */
    public static final ErrorCode CSRF_REJECTED = ErrorCode.of("csrf-rejected", ErrorKind.FORBIDDEN, "CSRF token missing or wrong");
    /** The client address is outside the tenant's allow-list (IAM-12). */
    public static final ErrorCode IP_NOT_ALLOWED = ErrorCode.of("ip-not-allowed", ErrorKind.FORBIDDEN,
            "Address not allowed");
    /** A new password breaks the rules (IAM-6); the message lists every rule it breaks. */
    public static final ErrorCode PASSWORD_REJECTED = ErrorCode.of("password-rejected", ErrorKind.INVALID,
            "Password rejected");
    /** Too many failures from one address, or too many requests (SEC-12). */
    public static final ErrorCode TOO_MANY_ATTEMPTS = ErrorCode.of("too-many-attempts", ErrorKind.TOO_MANY_REQUESTS,
            "Too many attempts");
    /** An IP allow-list entry is no IPv4/IPv6 address or CIDR range. */
    public static final ErrorCode INVALID_IP_RANGE = ErrorCode.of("invalid-ip-range", ErrorKind.INVALID, "Invalid IP range");
    /** Bad account data: login name, employee number, roles, permissions, profile fields. */
    public static final ErrorCode INVALID_USER = ErrorCode.of("invalid-user", ErrorKind.INVALID, "Invalid account data");
    /** No such account in the tenant (also the answer for another tenant's account). */
    public static final ErrorCode USER_NOT_FOUND = ErrorCode.of("user-not-found", ErrorKind.NOT_FOUND, "No such account");
    /** Login name, employee number or e-mail already taken in the tenant (IAM-3). */
    public static final ErrorCode USER_CONFLICT = ErrorCode.of("user-conflict", ErrorKind.CONFLICT, "Account data taken");
    /** The change does not fit the account's state (e.g. changing an erased account). */
    public static final ErrorCode USER_STATE = ErrorCode.of("user-state", ErrorKind.CONFLICT, "Not possible in this state");
    /** A wrong or used-up code during enrolment, or no enrolment started. */
    public static final ErrorCode MFA_CODE_REJECTED = ErrorCode.of("mfa-code-rejected", ErrorKind.INVALID, "Code rejected");
    /** A reset token that is unknown, used or expired. */
    public static final ErrorCode RESET_TOKEN_INVALID = ErrorCode.of("reset-token-invalid", ErrorKind.INVALID,
            "Reset token invalid");

    private AuthErrors() {
    }
}
