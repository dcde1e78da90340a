package dev.mamori.auth.internal;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Roles;

/** An account's fields as a tenant admin gives them: checked and normalised, or 400 {@code invalid-user}. */
final class UserFields {
    private static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Pattern EMPLOYEE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");

    private UserFields() {
    }

    /** @return whether it is an employee number as accounts have them (as given, not normalised) */
    static boolean validEmployeeNumber(String s) {
        return EMPLOYEE.matcher(s).matches();
    }

    static String loginName(String s) {
        String n = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (!LOGIN.matcher(n).matches() || n.startsWith("erased-")) {
            throw invalid("A login name is 2-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit "
                    + "(and not 'erased-').");
        }
        return n;
    }

    static String employeeNumber(String s) {
        String n = s == null ? "" : s.strip();
        if (!EMPLOYEE.matcher(n).matches()) {
            throw invalid("An employee number is 1-64 characters of letters, digits, '.', '_', '/' and '-'.");
        }
        return n;
    }

    static Set<String> roles(Set<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw invalid("An account needs at least one role of " + new TreeSet<>(Roles.TENANT_ROLES) + ".");
        }
        Set<String> out = new TreeSet<>();
        for (String r : roles) {
            String n = r == null ? "" : r.strip().toLowerCase(Locale.ROOT);
            if (!Roles.TENANT_ROLES.contains(n)) {
                throw invalid("'" + Profiles.printable(String.valueOf(r)) + "' is no tenant role; use "
                        + new TreeSet<>(Roles.TENANT_ROLES) + ".");
            }
            out.add(n);
        }
        return out;
    }

    private static AuthException invalid(String message) {
        return new AuthException(AuthErrors.INVALID_USER, message);
    }
}
