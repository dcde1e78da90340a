package dev.mamori.auth;

/**
 * A sign-in attempt with a password.
 *
 * @param tenant   tenant slug or id
 * @param login    login name or e-mail address
 * @param password password; the caller clears the array after the call
 */
public record Credentials(String tenant, String login, char[] password) {
    @Override
    public String toString() {
        return "Credentials[tenant=" + tenant + ", login=***, password=***]";
    }
}
