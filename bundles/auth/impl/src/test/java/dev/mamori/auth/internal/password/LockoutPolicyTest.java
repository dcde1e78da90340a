package dev.mamori.auth.internal.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.auth.internal.AuthConfig;
import dev.mamori.auth.internal.ShippedAuthConfig;

/** IAM-9: the fifth consecutive failure locks; locks last until unlocked or for a set time. */
class LockoutPolicyTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mamori.auth.internal.ShippedAuthConfig#both")
    @DisplayName("IAM-9: with the policy Attempts builds from the defaults and from feature.xml, four failures do not lock, the fifth does")
    void fifthFailureLocks(String name, AuthConfig config) {
        LockoutPolicy p = ShippedAuthConfig.lockout(config);
        assertEquals(Optional.empty(), p.lockFor(), "until an admin unlocks");
        for (int i = 1; i <= 4; i++) {
            assertFalse(p.locks(i), "failure " + i);
        }
        assertTrue(p.locks(5));
        assertTrue(p.locks(6));
    }

    @Test
    @DisplayName("IAM-9: without a period a lock lasts until an administrator lifts it")
    void untilUnlocked() {
        LockoutPolicy p = new LockoutPolicy(5, null);
        assertEquals(Optional.empty(), p.lockFor());
        assertTrue(p.locked(T0, T0.plus(Duration.ofDays(3650))));
        assertFalse(p.locked(null, T0));
    }

    @Test
    @DisplayName("IAM-9: with a period the lock ends by itself, exactly then")
    void forAPeriod() {
        LockoutPolicy p = new LockoutPolicy(5, Duration.ofMinutes(15));
        assertTrue(p.locked(T0, T0.plus(Duration.ofMinutes(15)).minusMillis(1)));
        assertFalse(p.locked(T0, T0.plus(Duration.ofMinutes(15))));
        assertThrows(IllegalArgumentException.class, () -> new LockoutPolicy(0, null));
        assertThrows(IllegalArgumentException.class, () -> new LockoutPolicy(5, Duration.ZERO));
    }
}
