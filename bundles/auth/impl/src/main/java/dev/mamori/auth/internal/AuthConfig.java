package dev.mamori.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of sign-in, sessions and lockout (PID {@value #PID}). */
@ObjectClassDefinition(name = "Mamori sign-in", description = "Passwords, lockout, throttling, sessions and MFA of tenant users.")
public @interface AuthConfig {
    /** The configuration PID. */
    String PID = "dev.mamori.auth";

    /** @return bcrypt cost */
    @AttributeDefinition(description = "bcrypt cost factor (2^cost rounds), at least 10; raised hashes are rewritten at the next sign-in (IAM-7).",
            min = "10", max = "16")
    int bcrypt_cost() default 11;

    /** @return failures that lock */
    @AttributeDefinition(description = "Consecutive failures (password, wrong or missing code) that lock an account (IAM-9).", min = "1", max = "100")
    int lockout_failures() default 5;

    /** @return lock duration */
    @AttributeDefinition(description = "Minutes a lock of a tenant user lasts; 0 = until a tenant admin unlocks it.", min = "0")
    int lockout_minutes() default 0;

    /** @return lock duration of platform accounts */
    @AttributeDefinition(description = "Minutes a lock of an operator or support account lasts, 1-1440; never until unlocked: "
            + "anyone who can reach the sign-in could otherwise shut the operators out for good (recovery: the installation's SSH key).",
            min = "1", max = "1440")
    int platform_lockout_minutes() default 15;

    /** @return failures per address */
    @AttributeDefinition(description = "Sign-in failures one client address may cause across all accounts per throttle period before it gets 429 (SEC-12).",
            min = "1")
    int throttle_failures() default 20;

    /** @return throttle period */
    @AttributeDefinition(description = "Throttle period in seconds (failures and request flood).", min = "1")
    int throttle_period_seconds() default 300;

    /** @return requests per address */
    @AttributeDefinition(description = "API requests one client address may make per second on average before it gets 429 (flood limit, SEC-12).",
            min = "1")
    int flood_requests_per_second() default 50;

    /** @return burst */
    @AttributeDefinition(description = "Burst of API requests one client address may make at once.", min = "1")
    int flood_burst() default 200;

    /** @return idle timeout */
    @AttributeDefinition(description = "Minutes of inactivity after which a session ends (SEC-4).", min = "1")
    int session_idle_minutes() default 30;

    /** @return absolute lifetime */
    @AttributeDefinition(description = "Hours after sign-in at which a session ends whatever happens (SEC-4).", min = "1")
    int session_absolute_hours() default 12;

    /** @return reset token lifetime */
    @AttributeDefinition(description = "Minutes a password reset token stays valid (IAM-14).", min = "1", max = "1440")
    int reset_token_minutes() default 30;

    /** @return issuer */
    @AttributeDefinition(description = "Issuer shown by authenticator apps (otpauth URI).")
    String mfa_issuer() default "Mamori";

    /** @return the platform allow-list */
    @AttributeDefinition(description = "Addresses or CIDR ranges operators and support may sign in and work from (OPS-3). Empty: unrestricted.")
    String[] platform_allowlist() default {};

    /** @return first operator */
    @AttributeDefinition(description = "Login name of the operator account created when there is no platform account yet (empty: none).")
    String bootstrap_operator() default "admin";

    /** @return handover file */
    @AttributeDefinition(description = "Where that account's single-use reset token is handed over (owner-only).")
    String bootstrap_token_file() default "${karaf.data}/mamori/initial-operator-reset-token";

    /** @return trusted proxies */
    @AttributeDefinition(description = "Addresses or CIDR ranges of TLS-terminating proxies whose X-Forwarded-For is believed (IAM-12). Empty: none.")
    String[] trusted_proxies() default {};

    /** @return participant names */
    @AttributeDefinition(description = "Erasure participants (mamori.erasure.participant) without which no erasure runs: the "
            + "capabilities that keep data about people, e.g. records. Empty: whichever are registered.")
    String[] erasure_participants() default {};
}
