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
    /** A new password breaks the rules (IAM-6); the message lists every rule it breaks. */
    public static final ErrorCode PASSWORD_REJECTED = ErrorCode.of("password-rejected", ErrorKind.INVALID,
            "Password rejected");
    /** Too many failures from one address, or too many requests (SEC-12). */
    public static final ErrorCode TOO_MANY_ATTEMPTS = ErrorCode.of("too-many-attempts", ErrorKind.TOO_MANY_REQUESTS,
            "Too many attempts");

    /** An IP allow-list entry is no IPv4/IPv6 address or CIDR range. */
    public static final ErrorCode INVALID_IP_RANGE = ErrorCode.of("invalid-ip-range", ErrorKind.INVALID, "Invalid IP range");

    private AuthErrors() {
    }
}
