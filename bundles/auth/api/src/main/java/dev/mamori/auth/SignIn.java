package dev.mamori.auth;

import java.time.Instant;

/**
 * A new session token. The token is shown once: the server keeps only its hash (SEC-4).
 *
 * @param token     opaque 256-bit session token (cookie value or bearer token)
 * @param state     what the session may do
 * @param expiresAt when it ends at the latest (absolute lifetime)
 * @param csrfToken the token cookie-authenticated state changes must echo in {@code X-CSRF-Token} (SEC-6)
 */
public record SignIn(String token, SessionState state, Instant expiresAt, String csrfToken) {
    @Override
    public String toString() {
        return "SignIn[state=" + state + ", expiresAt=" + expiresAt + "]";
    }
}
