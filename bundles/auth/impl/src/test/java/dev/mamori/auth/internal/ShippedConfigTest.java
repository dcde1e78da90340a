package dev.mamori.auth.internal;

import static dev.mamori.auth.internal.AuthFixture.EMPLOYEE_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.auth.User;

/**
 * IAM-7, IAM-9, IAM-13, SEC-4: the values an installation runs with - bcrypt cost 11, lock after 5
 * failures, sessions idle 30 minutes and at most 12 hours - both as {@link AuthConfig}'s defaults and
 * in the features' shipped configuration, and used by the components built from them.
 */
class ShippedConfigTest {

    @Test
    @DisplayName("IAM-7, IAM-9, SEC-4: AuthConfig's defaults are cost 11, 5 failures, 30 min idle, 12 h absolute")
    void annotationDefaults() throws Exception {
        assertEquals(11, AuthConfig.class.getMethod("bcrypt_cost").getDefaultValue());
        assertEquals(5, AuthConfig.class.getMethod("lockout_failures").getDefaultValue());
        assertEquals(30, AuthConfig.class.getMethod("session_idle_minutes").getDefaultValue());
        assertEquals(12, AuthConfig.class.getMethod("session_absolute_hours").getDefaultValue());
    }

    @Test
    @DisplayName("IAM-7, IAM-9, SEC-4: feature.xml ships cost 11, 5 failures, 30 min idle, 12 h absolute, under AuthConfig's names only")
    void featureConfiguration() {
        Map<String, String> shipped = ShippedAuthConfig.shippedProperties();
        assertEquals("11", shipped.get("bcrypt.cost"));
        assertEquals("5", shipped.get("lockout.failures"));
        assertEquals("30", shipped.get("session.idle.minutes"));
        assertEquals("12", shipped.get("session.absolute.hours"));
        // a misspelt key would be ignored and the default used without a word
        Set<String> attributes = Arrays.stream(AuthConfig.class.getDeclaredMethods()).map(ShippedAuthConfig::propertyName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(attributes, new TreeSet<>(shipped.keySet()));
        AuthConfig c = ShippedAuthConfig.shipped();
        assertEquals(11, c.bcrypt_cost());
        assertEquals(5, c.lockout_failures());
        assertEquals(30, c.session_idle_minutes());
        assertEquals(12, c.session_absolute_hours());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mamori.auth.internal.ShippedAuthConfig#both")
    @DisplayName("IAM-7: Passwords built from the configuration hash at cost 11 ($2b$11$) and rewrite cost-10 hashes")
    void passwordsHashAtCost11(String name, AuthConfig c) {
        Passwords p = new Passwords(c);
        String hash = p.hash(EMPLOYEE_PASSWORD.toCharArray());
        assertTrue(hash.startsWith("$2b$11$"), hash);
        assertTrue(p.verify(EMPLOYEE_PASSWORD.toCharArray(), hash));
        assertFalse(p.needsRehash(hash));
        assertTrue(p.needsRehash(new Passwords(10).hash(EMPLOYEE_PASSWORD.toCharArray())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mamori.auth.internal.ShippedAuthConfig#both")
    @DisplayName("IAM-9: the Attempts built from the configuration lock at the fifth failure, not the fourth, until unlocked")
    void lockAtFive(String name, AuthConfig c) {
        AuthFixture fx = new AuthFixture(AuthDb.h2(), c);
        assertEquals(5, fx.attempts.lockout(Space.of(tenantPlaceholder())).maxFailures());
        assertTrue(fx.attempts.lockout(Space.of(tenantPlaceholder())).lockFor().isEmpty(), "lockout.minutes 0: until an admin unlocks");
        // platform accounts: the same count, a bounded lock (anyone could otherwise lock the only operator for good)
        assertEquals(5, fx.attempts.lockout(Space.PLATFORM).maxFailures());
        assertEquals(java.util.Optional.of(java.time.Duration.ofMinutes(15)), fx.attempts.lockout(Space.PLATFORM).lockFor());
        String tenant = fx.newTenant();
        User u = fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        for (int i = 1; i <= 4; i++) {
            assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
            assertFalse(fx.asAdmin(tenant, () -> fx.users.find(u.id())).orElseThrow().locked(), "after failure " + i);
        }
        assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", "Wrong-pass1"));
        assertTrue(fx.asAdmin(tenant, () -> fx.users.find(u.id())).orElseThrow().locked(), "after failure 5");
        fx.clock.advance(Duration.ofDays(365));
        AuthException e = assertThrows(AuthException.class, () -> fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD));
        assertEquals(AuthErrors.INVALID_CREDENTIALS, e.errorCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mamori.auth.internal.ShippedAuthConfig#both")
    @DisplayName("SEC-4, IAM-13: the Sessions built from the configuration end after 30 idle minutes and 12 hours after sign-in")
    void sessionLifetimes(String name, AuthConfig c) {
        assertEquals(Duration.ofMinutes(30), ShippedAuthConfig.sessions(c).idle());
        assertEquals(Duration.ofHours(12), ShippedAuthConfig.sessions(c).absolute());
        AuthFixture fx = new AuthFixture(AuthDb.h2(), c);
        String tenant = fx.newTenant();
        fx.create(tenant, "taro", "E-1", Set.of(Roles.EMPLOYEE), Profile.EMPTY, EMPLOYEE_PASSWORD);
        SignIn idle = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        SignIn busy = fx.signIn(tenant, "taro", EMPLOYEE_PASSWORD);
        assertEquals(fx.clock.instant().plus(Duration.ofHours(12)), busy.expiresAt());
        fx.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertEquals(SessionState.AUTHENTICATED, fx.sessions.validate(busy.token()).state(), "29:59 idle");
        fx.clock.advance(Duration.ofSeconds(1));
        assertThrows(AuthException.class, () -> fx.sessions.validate(idle.token()), "30 min idle");
        // busy every 29 minutes: still ends 12 hours after sign-in, not a second later or earlier
        Duration used = Duration.ofMinutes(30);
        while (used.plusMinutes(29).compareTo(Duration.ofHours(12)) < 0) {
            fx.clock.advance(Duration.ofMinutes(29));
            used = used.plusMinutes(29);
            fx.sessions.validate(busy.token());
        }
        fx.clock.advance(Duration.ofHours(12).minus(used).minusSeconds(1));
        assertEquals(SessionState.AUTHENTICATED, fx.sessions.validate(busy.token()).state(), "11:59:59 after sign-in");
        fx.clock.advance(Duration.ofSeconds(1));
        assertThrows(AuthException.class, () -> fx.sessions.validate(busy.token()), "12 h after sign-in");
    }

    private static String tenantPlaceholder() {
        return "any-tenant";
    }
}
