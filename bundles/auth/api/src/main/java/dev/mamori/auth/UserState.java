package dev.mamori.auth;

/** Where an account is in its life. Accounts are never deleted (IAM-5). */
public enum UserState {
    /** Can sign in. */
    ACTIVE,
    /** Switched off by a tenant admin; can be reactivated (IAM-1). */
    DEACTIVATED,
    /** Personal data destroyed; a pseudonymous id that stays for references and the audit trail (IAM-5). */
    ERASED
}
