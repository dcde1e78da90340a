package dev.mamori.auth;

import java.util.List;

/**
 * A confirmed enrolment: a new, fully signed-in session and the recovery codes, shown once.
 *
 * @param signIn        the new session
 * @param recoveryCodes single-use recovery codes (stored only hashed)
 */
public record MfaConfirmation(SignIn signIn, List<String> recoveryCodes) {
    /** Copies the codes. */
    public MfaConfirmation {
        recoveryCodes = List.copyOf(recoveryCodes);
    }

    @Override
    public String toString() {
        return "MfaConfirmation[" + signIn + "]";
    }
}
