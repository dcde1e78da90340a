package dev.mamori.auth.internal.jaas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.SessionState;
import dev.mamori.auth.internal.EnrolledOperator;

/**
 * IAM-9, OPS-3: the shell's sign-in with a code counts its failures exactly as REST's does, on the real
 * sign-in service: one wrong code is one failure, and its half session is gone (no second count as an
 * abandoned password step at the next attempt).
 */
class ShellSignInFailuresTest {
    private static final String SSH_CLIENT = "192.0.2.7";

    private static Set<java.security.Principal> shell(EnrolledOperator op, String code) throws Exception {
        return MamoriLoginModule.principals(Optional.empty(), op.auth(), op.login(), (EnrolledOperator.PASSWORD + " " + code)
                .toCharArray(), SSH_CLIENT);
    }

    @Test
    @DisplayName("IAM-9, OPS-3: each wrong code in the shell counts exactly one failure: four leave the operator unlocked, "
            + "the fifth locks, then the right code is refused")
    void oneWrongCodeIsOneFailure() {
        EnrolledOperator op = new EnrolledOperator();
        for (int i = 1; i <= 5; i++) {
            assertThrows(FailedLoginException.class, () -> shell(op, op.wrongCode()));
            assertEquals(i, op.failedCount(), "failures after " + i + " wrong code(s)");
            assertEquals(0, op.sessions(SessionState.MFA_REQUIRED), "no half session is left behind");
            assertEquals(i == 5, op.locked());
        }
        assertThrows(FailedLoginException.class, () -> shell(op, op.code()));
    }

    @Test
    @DisplayName("IAM-9, OPS-3: wrong codes below the limit, then the right one: an operator shell, the count reset, "
            + "the session of the check closed")
    void rightCodeAfterWrongOnes() throws Exception {
        EnrolledOperator op = new EnrolledOperator();
        int signedIn = op.sessions(SessionState.AUTHENTICATED);
        for (int i = 0; i < 4; i++) {
            assertThrows(FailedLoginException.class, () -> shell(op, op.wrongCode()));
        }
        assertEquals(4, op.failedCount());
        assertEquals(true, shell(op, op.code()).contains(new RolePrincipal("operator")));
        assertEquals(0, op.failedCount());
        assertEquals(signedIn, op.sessions(SessionState.AUTHENTICATED), "the session of the check is closed");
        assertEquals(0, op.sessions(SessionState.MFA_REQUIRED));
    }
}
