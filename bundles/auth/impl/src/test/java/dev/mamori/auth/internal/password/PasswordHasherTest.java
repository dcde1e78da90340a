package dev.mamori.auth.internal.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** IAM-7: bcrypt only, cost floor, re-hash on a raised cost, no truncation, no enumeration by timing. */
class PasswordHasherTest {
    private static final PasswordHasher HASHER = new PasswordHasher(10);

    @Test
    @DisplayName("IAM-7: a bcrypt 2b hash at the configured cost, salted, verifying the password only")
    void hashesWithBcrypt() {
        String h1 = HASHER.hash("Correct1Horse".toCharArray());
        String h2 = HASHER.hash("Correct1Horse".toCharArray());
        assertTrue(h1.startsWith("$2b$10$"), h1);
        assertEquals(60, h1.length());
        assertNotEquals(h1, h2, "a fresh salt each time");
        assertTrue(HASHER.verify("Correct1Horse".toCharArray(), h1));
        assertFalse(HASHER.verify("Correct1horse".toCharArray(), h1));
        assertFalse(HASHER.verify("".toCharArray(), h1));
    }

    @Test
    @DisplayName("IAM-7: the cost is never below 10")
    void costFloor() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(9));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(32));
    }

    @Test
    @DisplayName("IAM-7: a hash made at a lower cost is re-hashed; garbage is never accepted")
    void rehashWhenCostRaised() {
        String old = HASHER.hash("Correct1Horse".toCharArray());
        PasswordHasher stronger = new PasswordHasher(11);
        assertTrue(stronger.needsRehash(old));
        assertFalse(HASHER.needsRehash(old));
        assertTrue(stronger.verify("Correct1Horse".toCharArray(), old), "old hashes still verify");
        assertTrue(HASHER.needsRehash("plain-text"));
        assertFalse(HASHER.verify("plain-text".toCharArray(), "plain-text"), "a stored non-hash never matches");
        assertFalse(HASHER.verify("x".toCharArray(), null), "unknown account");
    }

    @Test
    @DisplayName("IAM-7: beyond 72 bytes nothing is cut off: refused when set, never matching at sign-in")
    void noTruncation() {
        String seventyTwo = "Aa1" + "x".repeat(69);
        String hash = HASHER.hash(seventyTwo.toCharArray());
        assertTrue(HASHER.verify(seventyTwo.toCharArray(), hash));
        // bcrypt itself would accept this one: it reads 72 bytes and ignores the rest
        assertFalse(HASHER.verify((seventyTwo + "anything").toCharArray(), hash));
        assertThrows(IllegalArgumentException.class, () -> HASHER.hash((seventyTwo + "y").toCharArray()));
        // 25 Japanese characters are 75 bytes
        assertThrows(IllegalArgumentException.class, () -> HASHER.hash("あ".repeat(25).toCharArray()));
        HASHER.hash("あ".repeat(24).toCharArray());
    }

    @Test
    @DisplayName("IAM-7: full-width input equals its ASCII form (NFKC), as an input method may type it")
    void normalised() {
        String hash = HASHER.hash("Correct1Horse".toCharArray());
        assertTrue(HASHER.verify("Ｃｏｒｒｅｃｔ１Ｈｏｒｓｅ".toCharArray(), hash));
    }
}
