package dev.mamori.auth.internal.password;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.PasswordRejectedException;

/** IAM-6: each rule, positive and negative. */
class PasswordRulesTest {
    private static final PasswordRules RULES = new PasswordRules();

    private static List<String> violations(PasswordPolicy policy, String password, String login, String email) {
        PasswordRejectedException e = assertThrows(PasswordRejectedException.class,
                () -> RULES.check(policy, password.toCharArray(), login, email));
        assertEquals(AuthErrors.PASSWORD_REJECTED, e.errorCode());
        assertFalse(e.getMessage().contains(password), "the message repeats the password");
        return e.violations();
    }

    @Test
    @DisplayName("IAM-6: ordinary users - 8 characters with upper, lower and digit pass")
    void ordinaryAccepted() {
        assertDoesNotThrow(() -> RULES.check(PasswordPolicy.ORDINARY, "Kx7vQm2p".toCharArray(), "taro", "taro@example.jp"));
    }

    @Test
    @DisplayName("IAM-6: ordinary users - 7 characters, or a missing class, are refused with the rule named")
    void ordinaryRefused() {
        assertEquals(List.of("A password needs at least 8 characters."),
                violations(PasswordPolicy.ORDINARY, "Kx7vQm2", "taro", null));
        assertEquals(List.of("A password needs an upper-case letter (A-Z)."),
                violations(PasswordPolicy.ORDINARY, "kx7vqm2p", "taro", null));
        assertEquals(List.of("A password needs a lower-case letter (a-z)."),
                violations(PasswordPolicy.ORDINARY, "KX7VQM2P", "taro", null));
        assertEquals(List.of("A password needs a digit (0-9)."),
                violations(PasswordPolicy.ORDINARY, "KxlvQmzp", "taro", null));
        assertEquals(4, violations(PasswordPolicy.ORDINARY, "!!!", "taro", null).size(), "every broken rule at once");
    }

    @Test
    @DisplayName("IAM-6: administrators and platform roles need 12 characters")
    void privileged() {
        assertEquals(List.of("A password needs at least 12 characters."),
                violations(PasswordPolicy.PRIVILEGED, "Kx7vQm2pZr4", "hanako", null));
        assertDoesNotThrow(() -> RULES.check(PasswordPolicy.PRIVILEGED, "Kx7vQm2pZr4w".toCharArray(), "hanako", null));
    }

    @Test
    @DisplayName("IAM-6: not the login name, forwards or backwards, in any case")
    void notTheLogin() {
        assertEquals(List.of("A password must not contain the login name."),
                violations(PasswordPolicy.ORDINARY, "Xy1SuzukiQ", "suzuki", null));
        assertEquals(List.of("A password must not contain the login name."),
                violations(PasswordPolicy.ORDINARY, "Xy1IKUZUSq", "suzuki", null));
        // two-letter names would forbid too much
        assertDoesNotThrow(() -> RULES.check(PasswordPolicy.ORDINARY, "Kx7vQm2pab".toCharArray(), "ab", null));
    }

    @Test
    @DisplayName("IAM-6: not the e-mail address's name part")
    void notTheEmail() {
        assertEquals(List.of("A password must not contain the e-mail address's name part."),
                violations(PasswordPolicy.ORDINARY, "Q9hanako.satoW", "u123", "Hanako.Sato@example.jp"));
    }

    @Test
    @DisplayName("IAM-6: not one of the 30,000 most common passwords, whatever the case")
    void notCommon() {
        // "password1" and "baseball1" are on the list; with upper case they pass every other rule
        assertEquals(List.of("This password is one of the most common passwords."),
                violations(PasswordPolicy.ORDINARY, "Password1", "taro", null));
        assertEquals(List.of("This password is one of the most common passwords."),
                violations(PasswordPolicy.ORDINARY, "bASEBALL1", "taro", null));
        // the list holds whole passwords: one that merely starts like one is not refused for it
        assertDoesNotThrow(() -> RULES.check(PasswordPolicy.ORDINARY, "Baseball1x".toCharArray(), "taro", null));
    }

    @Test
    @DisplayName("IAM-6: a maximum length, and at most 72 bytes in UTF-8")
    void maximum() {
        assertTrue(violations(PasswordPolicy.ORDINARY, "Aa1" + "x".repeat(62), "taro", null)
                .contains("A password has at most 64 characters."));
        // 31 characters, 73 bytes; one character less fits
        assertEquals(List.of("A password is at most 72 bytes in UTF-8 (bcrypt reads no more)."),
                violations(PasswordPolicy.ORDINARY, "Aa1Bb2Cc3D" + "守".repeat(21), "taro", null));
        assertDoesNotThrow(() -> RULES.check(PasswordPolicy.ORDINARY, ("Aa1Bb2Cc3D" + "守".repeat(20)).toCharArray(), "taro", null));
    }

    @Test
    @DisplayName("IAM-6: a tenant tightens the floor but cannot loosen it")
    void tenantTightensOnly() {
        PasswordPolicy tenant = new PasswordPolicy(10, 72, true);
        PasswordPolicy effective = PasswordPolicy.ORDINARY.tightenedBy(tenant);
        assertEquals(new PasswordPolicy(10, 64, true), effective);
        assertTrue(violations(effective, "Kx7vQm2pZr", "taro", null)
                .contains("A password needs a character that is neither a letter nor a digit."));
        assertDoesNotThrow(() -> RULES.check(effective, "Kx7vQm2pZ!".toCharArray(), "taro", null));
        // a "looser" tenant changes nothing: the privileged floor stays 12
        assertEquals(PasswordPolicy.PRIVILEGED, PasswordPolicy.PRIVILEGED.tightenedBy(new PasswordPolicy(8, 64, false)));
        assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(6, 64, false));
    }
}
