package dev.mamori.auth;

import java.util.List;

/** A new password breaks the rules; {@link #violations()} names each broken rule. */
public class PasswordRejectedException extends AuthException {
    private static final long serialVersionUID = 1L;
    private final List<String> violations;

    /** @param violations what is wrong with the password, one sentence each, never the password itself */
    public PasswordRejectedException(List<String> violations) {
        super(AuthErrors.PASSWORD_REJECTED, "The password was rejected: " + String.join(" ", violations));
        this.violations = List.copyOf(violations);
    }

    /** @return one sentence per broken rule */
    public List<String> violations() {
        return violations;
    }
}
