package dev.mamori.auth.internal.jaas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.MfaConfirmation;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.platform.context.PrincipalKind;

@DisplayName("IAM-10, OPS-3: the shell's login module needs password and code of a platform account")
class MamoriLoginModuleTest {

    /** A sign-in service that knows one operator: password "Operator-Pass-2026x", code "123456". */
    static final class Recording implements AuthenticationService {
        final List<String> calls = new ArrayList<>();
        SessionState afterPassword = SessionState.MFA_REQUIRED;
        Set<String> roles = Set.of("operator");
        Credentials lastCredentials;
        char[] passwordSeen;

        @Override
        public SignIn signIn(Credentials c) {
            throw new AssertionError("the shell signs in with its code in one step");
        }

        @Override
        public SignIn signIn(Credentials c, String factor, String code) {
            lastCredentials = c;
            passwordSeen = c.password().clone();
            calls.add("signIn " + c.login() + " " + factor + " " + code);
            if (!"Operator-Pass-2026x".equals(new String(c.password()))) {
                throw new AuthException(AuthErrors.INVALID_CREDENTIALS, "Sign-in failed.");
            }
            if (afterPassword != SessionState.MFA_REQUIRED) {
                return new SignIn("t1", afterPassword, Instant.EPOCH, "c1");
            }
            if (!"123456".equals(code)) {
                throw new AuthException(AuthErrors.INVALID_CREDENTIALS, "Sign-in failed.");
            }
            return new SignIn("t2", SessionState.AUTHENTICATED, Instant.EPOCH, "c2");
        }

        @Override
        public Session authenticate(String token) {
            calls.add("authenticate " + token);
            return new Session("s2", PrincipalKind.OPERATOR, null, "op-1", roles, SessionState.AUTHENTICATED,
                    Instant.EPOCH, Instant.EPOCH, "c2");
        }

        @Override
        public SignIn verifyMfa(String token, String factor, String code) {
            throw new AssertionError("the shell signs in with its code in one step");
        }

        @Override
        public SignIn recover(String token, String recoveryCode) {
            throw new AssertionError("not used by the shell");
        }

        @Override
        public void signOut(String token) {
            calls.add("signOut " + token);
        }

        @Override
        public MfaEnrolment beginTotpEnrolment(String token) {
            throw new AssertionError("not used by the shell");
        }

        @Override
        public MfaConfirmation confirmTotpEnrolment(String token, String code) {
            throw new AssertionError("not used by the shell");
        }

        @Override
        public SignIn changePassword(String token, char[] current, char[] next) {
            throw new AssertionError("not used by the shell");
        }

        @Override
        public void resetPassword(String tenant, String resetToken, char[] next) {
            throw new AssertionError("not used by the shell");
        }
    }

    @Test
    void passwordSpaceCode_isAPlatformSignInWithTheCode_andTheCheckSessionIsClosed() {
        Recording auth = new Recording();
        char[] typed = "Operator-Pass-2026x 123456".toCharArray();
        Session s = MamoriLoginModule.signIn(auth, "admin", typed);
        assertEquals(Set.of("operator"), s.roles());
        assertNull(auth.lastCredentials.tenant(), "a platform account: no tenant");
        assertArrayEquals("Operator-Pass-2026x".toCharArray(), auth.passwordSeen);
        assertEquals(List.of("signIn admin totp 123456", "authenticate t2", "signOut t2"), auth.calls);
        assertArrayEquals(new char[typed.length], typed, "what was typed is cleared");
    }

    @Test
    void aPasswordWithSpaces_theCodeIsAfterTheLastOne() {
        Recording auth = new Recording();
        assertThrows(AuthException.class, () -> MamoriLoginModule.signIn(auth, "admin", "pass word 123456".toCharArray()));
        assertEquals("pass word", new String(auth.passwordSeen));
    }

    @Test
    void withoutACode_orWithAWrongOne_noSignIn() {
        Recording auth = new Recording();
        assertThrows(AuthException.class, () -> MamoriLoginModule.signIn(auth, "admin", "Operator-Pass-2026x".toCharArray()));
        assertThrows(AuthException.class, () -> MamoriLoginModule.signIn(auth, "admin", "Operator-Pass-2026x ".toCharArray()));
        assertEquals(List.of(), auth.calls, "nothing is tried without a code");
        assertThrows(AuthException.class, () -> MamoriLoginModule.signIn(auth, "admin", "Operator-Pass-2026x 654321".toCharArray()));
        assertEquals(List.of("signIn admin totp 654321"), auth.calls);
    }

    @Test
    void anAccountWithoutItsSecondFactor_cannotUseTheShell() {
        Recording auth = new Recording();
        auth.afterPassword = SessionState.MFA_ENROLMENT_REQUIRED;
        AuthException e = assertThrows(AuthException.class,
                () -> MamoriLoginModule.signIn(auth, "admin", "Operator-Pass-2026x 123456".toCharArray()));
        assertEquals(AuthErrors.MFA_REQUIRED.code(), e.code());
        assertEquals(List.of("signIn admin totp 123456", "signOut t1"), auth.calls);
    }

    @Test
    void aWrongPassword_isRefusedBeforeAnyCode() {
        Recording auth = new Recording();
        assertThrows(AuthException.class, () -> MamoriLoginModule.signIn(auth, "admin", "wrong 123456".toCharArray()));
        assertEquals(List.of("signIn admin totp 123456"), auth.calls);
    }

    @Test
    @DisplayName("OPS-3: the SSH client's address comes from Karaf's ClientPrincipal (IPv4, IPv6), none without it")
    void clientAddressFromTheSubject() {
        javax.security.auth.Subject v4 = new javax.security.auth.Subject();
        v4.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.ClientPrincipal("ssh", "/192.0.2.7:50123"));
        assertEquals("192.0.2.7", MamoriLoginModule.clientAddress(v4));
        javax.security.auth.Subject v6 = new javax.security.auth.Subject();
        v6.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.ClientPrincipal("ssh", "/[2001:db8::7]:50123"));
        assertEquals("2001:db8::7", MamoriLoginModule.clientAddress(v6));
        assertNull(MamoriLoginModule.clientAddress(new javax.security.auth.Subject()));
    }

    @Test
    @DisplayName("OPS-1, SEC-2: an operator's shell principals are its login, operator and ssh - no Karaf role")
    void anOperatorGetsOperatorAndSshOnly() throws Exception {
        Recording auth = new Recording();
        char[] typed = "Operator-Pass-2026x 123456".toCharArray();
        Set<java.security.Principal> p = MamoriLoginModule.principals(Optional.empty(), auth, " Admin ", typed, "192.0.2.7");
        assertEquals(Set.of(new UserPrincipal("admin"), new RolePrincipal("operator"), new RolePrincipal("ssh")), p);
        assertArrayEquals(new char[typed.length], typed);
    }

    @Test
    @DisplayName("OPS-1: support signs in with the right password and code and still gets no shell")
    void supportGetsNoShell() {
        Recording auth = new Recording();
        auth.roles = Set.of("support");
        assertThrows(FailedLoginException.class, () -> MamoriLoginModule.principals(Optional.empty(), auth, "helpdesk",
                "Operator-Pass-2026x 123456".toCharArray(), null));
        assertEquals(List.of("signIn helpdesk totp 123456", "authenticate t2", "signOut t2"), auth.calls);
    }

    @Test
    @DisplayName("SEC-2: while the shell is not locked down nobody signs in, not even with the right password and code")
    void notLockedDown_noSignInAtAll() {
        Recording auth = new Recording();
        char[] typed = "Operator-Pass-2026x 123456".toCharArray();
        LoginException e = assertThrows(LoginException.class, () -> MamoriLoginModule.principals(
                Optional.of("compulsory roles missing"), auth, "admin", typed, null));
        assertTrue(e.getMessage().contains("not locked down"), e.getMessage());
        assertEquals(List.of(), auth.calls, "no secret is even checked");
        assertArrayEquals(new char[typed.length], typed, "what was typed is cleared");
        assertThrows(LoginException.class, () -> MamoriLoginModule.principals(Optional.empty(), null, "admin",
                "Operator-Pass-2026x 123456".toCharArray(), null));
    }

    @Test
    @DisplayName("SEC-2: without a registered lockdown check (or a bundle context) the shell counts as not locked down")
    void missingLockdownCheckIsAGap() {
        assertTrue(MamoriLoginModule.lockdownGap(null).isPresent());
    }
}
