package dev.mamori.auth;

/** How far a session has come through sign-in. Only {@link #AUTHENTICATED} reaches data. */
public enum SessionState {
    /** Password accepted; the enrolled second factor must be verified next (IAM-11). */
    MFA_REQUIRED,
    /** Password accepted; the account must use MFA and has none: it may do nothing but enrol. */
    MFA_ENROLMENT_REQUIRED,
    /** Fully signed in. */
    AUTHENTICATED
}
