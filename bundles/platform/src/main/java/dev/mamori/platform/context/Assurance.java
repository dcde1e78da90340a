package dev.mamori.platform.context;

/**
 * How far a principal has come through signing in, as the adapter that authenticated it says
 * (REST: the authentication slot, from the session). Only {@link #COMPLETE} acts on data: the
 * other two may do nothing but the next sign-in step, which the MFA slot enforces per resource
 * method and {@link ExecutionContext#requirePrincipal} enforces in every service that asks.
 */
public enum Assurance {
    /** The password only: the account's enrolled second factor must be verified next (IAM-11). */
    PASSWORD_ONLY,
    /** The password only: the account must use a second factor and has none yet; it may only enrol one (IAM-10). */
    ENROLMENT_PENDING,
    /**
     * Signed in with every factor the account has: password and, where one is enrolled, the second
     * factor. Also what a principal states that no sign-in made: the platform itself, a job, a
     * shell session (password and code, or the installation's key), a plugin's own account.
     */
    COMPLETE;

    /** @return whether the principal may act (not half-way through signing in) */
    public boolean complete() {
        return this == COMPLETE;
    }
}
