package dev.mamori.auth;

import dev.mamori.platform.event.EventType;

/**
 * Event types of the auth capability, with the detail keys each declares. Every one carries the
 * client address and user agent of the execution context (AUD-2, OPS-3); target {@code user} (or
 * {@code platform-account}) and the account id where one is known. Failures never name the
 * password or code tried; no detail holds a name, a login name or an e-mail address.
 */
public final class AuthEvents {
    /** A sign-in step succeeded; step (password, mfa, recovery), state. */
    public static final EventType SIGN_IN_SUCCEEDED = EventType.of("auth.sign-in.succeeded", "step", "state");
    /**
     * A sign-in step failed; step, reason (unknown-account, wrong-password, locked, deactivated,
     * wrong-code, ip-refused), account ({@code platform} for the platform's accounts).
     */
    public static final EventType SIGN_IN_FAILED = EventType.of("auth.sign-in.failed", "step", "reason", "account");
    /** Failures from one address were throttled (SEC-12). */
    public static final EventType THROTTLED = EventType.of("auth.throttled");
    /** An account was locked after consecutive failures (IAM-9); failures. */
    public static final EventType LOCKED = EventType.of("auth.account.locked", "failures");
    /** A session ended by sign-out; session (its id, never its token). */
    public static final EventType SIGNED_OUT = EventType.of("auth.signed-out", "session");
    /** A request from outside the tenant's allow-list was refused (IAM-12). */
    public static final EventType IP_REFUSED = EventType.of("auth.ip-refused");
    /**
     * A cookie-authenticated change came without the session's CSRF token and was refused (SEC-6;
     * outcome DENIED, target: the session's account); method (the HTTP method), token (missing, wrong).
     */
    public static final EventType CSRF_REFUSED = EventType.of("auth.csrf.refused", "method", "token");
    /** A user began enrolling a second factor: a pending secret was issued, not yet confirmed; factor. */
    public static final EventType MFA_ENROLMENT_STARTED = EventType.of("auth.mfa.enrolment-started", "factor");
    /** A user enrolled TOTP; factor. */
    public static final EventType MFA_ENROLLED = EventType.of("auth.mfa.enrolled", "factor");
    /** A password was changed by its owner. */
    public static final EventType PASSWORD_CHANGED = EventType.of("auth.password.changed");
    /** A password was set with a reset token. */
    public static final EventType PASSWORD_RESET = EventType.of("auth.password.reset");
    /** An admin forced a password reset. */
    public static final EventType PASSWORD_RESET_ISSUED = EventType.of("auth.password.reset-issued");
    /** An account was created; roles. */
    public static final EventType USER_CREATED = EventType.of("auth.user.created", "roles");
    /** Names or personal data changed; fields (names only, never values). */
    public static final EventType USER_UPDATED = EventType.of("auth.user.updated", "fields");
    /** Roles replaced; from, to, passwordDisabled. */
    public static final EventType ROLES_CHANGED = EventType.of("auth.user.roles-changed", "from", "to", "passwordDisabled");
    /** Permissions replaced; from, to. */
    public static final EventType PERMISSIONS_CHANGED = EventType.of("auth.user.permissions-changed", "from", "to");
    /** Deactivated. */
    public static final EventType DEACTIVATED = EventType.of("auth.user.deactivated");
    /** Reactivated. */
    public static final EventType REACTIVATED = EventType.of("auth.user.reactivated");
    /** Lockout cleared by an admin. */
    public static final EventType UNLOCKED = EventType.of("auth.user.unlocked");
    /** Second factor removed by an admin. */
    public static final EventType MFA_RESET = EventType.of("auth.user.mfa-reset");
    /** Personal data erased (IAM-5). */
    public static final EventType ERASED = EventType.of("auth.user.erased");
    /**
     * An account's personal data (its profile) was read, by its owner or a tenant admin (AUD-1: a
     * read of tenant data; target: the user whose data it is).
     */
    public static final EventType PROFILE_READ = EventType.read("auth.profile.read");
    /** Contacts were decrypted for a delivery (ContactDirectory): the role asked for and how many, never the addresses. @since 2.3 */
    public static final EventType CONTACTS_READ = EventType.read("auth.contact.read", "role", "count");
    /** A platform account was created; role. */
    public static final EventType PLATFORM_ACCOUNT_CREATED = EventType.of("auth.platform-account.created", "role");
    /** A platform account was changed; change (unlocked, mfa-reset, deactivated, reactivated, password-reset). */
    public static final EventType PLATFORM_ACCOUNT_CHANGED = EventType.of("auth.platform-account.changed", "change");
    /** The tenant's IP allow-list was replaced; ranges. */
    public static final EventType IP_ALLOWLIST_CHANGED = EventType.of("auth.ip-allowlist.changed", "ranges");

    private AuthEvents() {
    }
}
