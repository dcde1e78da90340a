package dev.mamori.auth.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;

import dev.mamori.auth.SignIn;

/**
 * Where a session token travels: {@code Authorization: Bearer} for API clients, or the cookie
 * {@value #COOKIE} for browsers (IAM-13: the cookie holds the opaque token and nothing else).
 */
final class Tokens {
    /** Cookie name; the {@code __Host-} prefix makes browsers insist on Secure, Path=/ and no Domain. */
    static final String COOKIE = "__Host-mamori-session";
    /** Header a cookie-authenticated state change must carry (SEC-6). */
    static final String CSRF_HEADER = "X-CSRF-Token";

    /**
     * @param token      the token
     * @param fromCookie whether it came in the cookie (so CSRF protection applies)
     */
    record Found(String token, boolean fromCookie) {
        @Override
        public String toString() {
            return "Found[cookie=" + fromCookie + "]";
        }
    }

    private Tokens() {
    }

    /** @return the request's token: a bearer token wins over the cookie */
    static Optional<Found> find(List<String> authorization, Map<String, Cookie> cookies) {
        if (authorization != null) {
            for (String a : authorization) {
                if (a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    return Optional.of(new Found(a.substring(7).strip(), false));
                }
            }
        }
        Cookie c = cookies == null ? null : cookies.get(COOKIE);
        return c == null || c.getValue() == null || c.getValue().isEmpty() ? Optional.empty() : Optional.of(new Found(c.getValue(), true));
    }

    static Optional<Found> find(HttpHeaders headers) {
        return find(headers.getRequestHeader(HttpHeaders.AUTHORIZATION), headers.getCookies());
    }

    /** @return the Set-Cookie value carrying a new session (no Max-Age: it ends with the browser) */
    static String cookie(SignIn signIn) {
        return COOKIE + "=" + signIn.token() + "; Path=/; Secure; HttpOnly; SameSite=Strict";
    }

    /** @return the Set-Cookie value that removes the session cookie */
    static String expiredCookie() {
        return COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0; Expires=" + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.EPOCH.atZone(java.time.ZoneOffset.UTC));
    }
}
