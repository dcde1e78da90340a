package dev.mamori.auth;

/**
 * Event types of the auth capability. Every one carries the client address of the execution
 * context (OPS-3); target {@code user} and the account id where one is known. Failures never name
 * the password or code tried.
 */
public final class AuthEvents {
    /** A sign-in step succeeded; details: step (password, mfa, recovery), state. */
    public static final String SIGN_IN_SUCCEEDED = "auth.sign-in.succeeded";
    /** A sign-in step failed; details: step, reason (unknown-account, wrong-password, locked, deactivated, wrong-code, ip-refused). */
    public static final String SIGN_IN_FAILED = "auth.sign-in.failed";
    /** Failures from one address were throttled (SEC-12). */
    public static final String THROTTLED = "auth.throttled";
    /** An account was locked after consecutive failures (IAM-9); details: failures. */
    public static final String LOCKED = "auth.account.locked";
    /** A session ended by sign-out. */
    public static final String SIGNED_OUT = "auth.signed-out";
    /** A request from outside the tenant's allow-list was refused (IAM-12). */
    public static final String IP_REFUSED = "auth.ip-refused";
    /** A user enrolled TOTP. */
    public static final String MFA_ENROLLED = "auth.mfa.enrolled";
    /** A password was changed by its owner. */
    public static final String PASSWORD_CHANGED = "auth.password.changed";
    /** A password was set with a reset token. */
    public static final String PASSWORD_RESET = "auth.password.reset";
    /** An admin forced a password reset. */
    public static final String PASSWORD_RESET_ISSUED = "auth.password.reset-issued";
    /** An account was created; details: roles. */
    public static final String USER_CREATED = "auth.user.created";
    /** Names or personal data changed; details: fields (names only, never values). */
    public static final String USER_UPDATED = "auth.user.updated";
    /** Roles replaced; details: from, to. */
    public static final String ROLES_CHANGED = "auth.user.roles-changed";
    /** Permissions replaced; details: from, to. */
    public static final String PERMISSIONS_CHANGED = "auth.user.permissions-changed";
    /** Deactivated. */
    public static final String DEACTIVATED = "auth.user.deactivated";
    /** Reactivated. */
    public static final String REACTIVATED = "auth.user.reactivated";
    /** Lockout cleared by an admin. */
    public static final String UNLOCKED = "auth.user.unlocked";
    /** Second factor removed by an admin. */
    public static final String MFA_RESET = "auth.user.mfa-reset";
    /** Personal data erased (IAM-5). */
    public static final String ERASED = "auth.user.erased";
    /** A platform account was created; details: role. */
    public static final String PLATFORM_ACCOUNT_CREATED = "auth.platform-account.created";
    /** A platform account was changed; details: change (unlocked, mfa-reset, deactivated, reactivated, password-reset). */
    public static final String PLATFORM_ACCOUNT_CHANGED = "auth.platform-account.changed";
    /** The tenant's IP allow-list was replaced; details: ranges. */
    public static final String IP_ALLOWLIST_CHANGED = "auth.ip-allowlist.changed";

    private AuthEvents() {
    }
}
