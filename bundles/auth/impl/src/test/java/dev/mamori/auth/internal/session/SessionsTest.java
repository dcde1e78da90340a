package dev.mamori.auth.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.internal.AuthConfig;
import dev.mamori.auth.internal.ShippedAuthConfig;

/** IAM-13, IAM-14, SEC-4, SEC-6: tokens, their hashes, recovery codes and session lifetimes. */
class SessionsTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    @DisplayName("SEC-4: tokens are 256 random bits, stored only as SHA-256; CSRF tokens derive from them")
    void tokens() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = Secrets.newToken();
            assertTrue(Secrets.isToken(t), t);
            assertTrue(seen.add(t));
        }
        String t = Secrets.newToken();
        assertEquals(64, Secrets.hash(t).length());
        assertEquals(Secrets.hash(t), Secrets.hash(t));
        assertNotEquals(Secrets.hash(t), Secrets.csrfToken(t), "the CSRF token is not the stored hash");
        assertNotEquals(Secrets.csrfToken(t), Secrets.csrfToken(Secrets.newToken()));
        // SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.hash("abc"));
        for (String bad : new String[] {null, "", "x", t + "A", t.substring(1) + "=", t.substring(1) + "."}) {
            assertFalse(Secrets.isToken(bad), String.valueOf(bad));
        }
    }

    @Test
    @DisplayName("IAM-14: ten distinct recovery codes; typed forms normalise to the stored one")
    void recoveryCodes() {
        List<String> codes = Secrets.newRecoveryCodes();
        assertEquals(10, codes.size());
        assertEquals(10, new HashSet<>(codes).size());
        for (String c : codes) {
            assertTrue(c.matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"), c);
            assertEquals(c, Secrets.normaliseRecoveryCode(c));
            assertEquals(c, Secrets.normaliseRecoveryCode(c.toLowerCase().replace("-", " ")));
        }
        assertEquals("0112-3456-789A", Secrets.normaliseRecoveryCode("o1l2 3456 789a"));
        for (String bad : new String[] {null, "", "0123-4567-89A", "0123-4567-89ABC", "0123-4567-89AU", "0123-4567-89A!"}) {
            assertNull(Secrets.normaliseRecoveryCode(bad), String.valueOf(bad));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mamori.auth.internal.ShippedAuthConfig#both")
    @DisplayName("IAM-13: the policy Sessions builds from the defaults and from feature.xml: idle timeout 30 min, absolute lifetime 12 h")
    void lifetimes(String name, AuthConfig config) {
        SessionPolicy p = ShippedAuthConfig.sessions(config);
        assertTrue(p.valid(T0, T0, T0.plus(Duration.ofMinutes(29))));
        assertFalse(p.valid(T0, T0, T0.plus(Duration.ofMinutes(30))));
        // busy all day: still ends after 12 hours
        Instant late = T0.plus(Duration.ofHours(12));
        assertTrue(p.valid(T0, late.minusSeconds(5), late.minusSeconds(1)));
        assertFalse(p.valid(T0, late.minusSeconds(5), late));
        assertFalse(p.valid(T0, T0, T0.minusSeconds(1)), "a session from the future is refused");
        assertEquals(T0.plus(Duration.ofMinutes(30)), p.expiresAt(T0, T0));
        assertEquals(late, p.expiresAt(T0, late.minusSeconds(60)));
    }

    @Test
    @DisplayName("IAM-13: last-seen is written at most once a minute")
    void touch() {
        SessionPolicy p = ShippedAuthConfig.sessions(ShippedAuthConfig.defaults());
        assertFalse(p.touchDue(T0, T0.plusSeconds(59)));
        assertTrue(p.touchDue(T0, T0.plusSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(Duration.ofHours(13), Duration.ofHours(12)));
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(Duration.ofSeconds(30), Duration.ofHours(12)));
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(Duration.ofMinutes(30), Duration.ofDays(8)));
    }
}
