package dev.mamori.platform.error;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stable, machine-readable error code with its kind and a short title. Capabilities declare
 * their codes once, as constants of an {@code ...Errors} class in their API package; the code
 * becomes the problem type {@code urn:mamori:problem:<code>} over REST and is what the shell
 * prints first. Codes never change meaning once released.
 */
public final class ErrorCode {
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private final String code;
    private final ErrorKind kind;
    private final String title;

    private ErrorCode(String code, ErrorKind kind, String title) {
        if (code == null || code.length() > 64 || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("An error code is 1-64 characters of lower-case words joined by '-': " + code);
        }
        this.code = code;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.title = Objects.requireNonNull(title, "title");
        if (title.isBlank() || title.length() > 100) {
            throw new IllegalArgumentException("An error title is 1-100 characters: " + code);
        }
    }

    /**
     * @param code  lower-case words joined by '-', e.g. {@code vault-sealed}
     * @param kind  what kind of failure it is
     * @param title short summary of the code (not of one occurrence), e.g. "Vault sealed"
     * @return the code
     */
    public static ErrorCode of(String code, ErrorKind kind, String title) {
        return new ErrorCode(code, kind, title);
    }

    /** @return the code, e.g. {@code vault-sealed} */
    public String code() {
        return code;
    }

    /** @return the kind */
    public ErrorKind kind() {
        return kind;
    }

    /** @return the short summary */
    public String title() {
        return title;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorCode && ((ErrorCode) o).code.equals(code) && ((ErrorCode) o).kind == kind;
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    @Override
    public String toString() {
        return code + " (" + kind + ")";
    }
}
