package dev.mamori.auth.rest.internal;

import static dev.mamori.auth.rest.internal.Fakes.endpoint;
import static dev.mamori.auth.rest.internal.Fakes.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.auth.AuthException;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.rest.internal.Fakes.Request;
import dev.mamori.platform.context.Assurance;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.rest.spi.SignInStep;

@DisplayName("MfaFilter: a session that has not finished its second factor reaches only its sign-in steps (IAM-10, IAM-11)")
class MfaFilterTest {
    private final MfaFilter filter = new MfaFilter();

    private static Session in(SessionState state) {
        return Fakes.session("t1", "carol", state, "csrf-carol");
    }

    /** @return the endpoints the filter let through for a session in {@code state}; asserts that it refused the rest with mfa-required */
    private Set<String> reachable(SessionState state) {
        Set<String> passed = new TreeSet<>();
        for (Method m : Fakes.endpoints()) {
            Request r = Request.to(m).withSession(in(state));
            try {
                within(() -> filter.filter(r.context()));
                passed.add(Fakes.name(m));
            } catch (AuthException e) {
                assertEquals("mfa-required", e.code(), Fakes.name(m));
            }
        }
        return passed;
    }

    @Test
    @DisplayName("IAM-11 (F6): MFA_REQUIRED reaches verify, recovery, sign-out and the anonymous sign-in and reset; nothing else")
    void mfaRequired() {
        assertEquals(Set.of("AuthResource.verifyMfa", "AuthResource.recover", "AuthResource.signOut", "AuthResource.signIn",
                "AuthResource.resetPassword"), reachable(SessionState.MFA_REQUIRED));
    }

    @Test
    @DisplayName("IAM-11 (F6): MFA_ENROLMENT_REQUIRED reaches enrolment, sign-out and the anonymous sign-in and reset; nothing else")
    void enrolmentRequired() {
        assertEquals(Set.of("AuthResource.beginEnrolment", "AuthResource.confirmEnrolment", "AuthResource.signOut",
                "AuthResource.signIn", "AuthResource.resetPassword"), reachable(SessionState.MFA_ENROLMENT_REQUIRED));
    }

    @Test
    @DisplayName("IAM-11: a fully signed-in session, and a request without one, pass the MFA slot everywhere")
    void authenticatedAndAnonymousPass() {
        int all = Fakes.endpoints().size();
        assertEquals(all, reachable(SessionState.AUTHENTICATED).size());
        for (Method m : Fakes.endpoints()) {
            within(() -> filter.filter(Request.to(m).context()));
        }
        assertTrue(all >= 20, "only " + all + " endpoints found");
    }

    @Test
    @DisplayName("IAM-11: a pending session with no matched resource method is refused (fail closed)")
    void noMatchedMethod() {
        for (SessionState pending : Set.of(SessionState.MFA_REQUIRED, SessionState.MFA_ENROLMENT_REQUIRED)) {
            Request r = new Request("GET", null).withSession(in(pending));
            assertEquals("mfa-required", assertThrows(AuthException.class, () -> within(() -> filter.filter(r.context()))).code());
        }
    }

    @Test
    @DisplayName("IAM-11: the refusal says which step is due")
    void refusalNamesTheStep() {
        Method me = endpoint(MeResource.class, "me");
        Request pending = Request.to(me).withSession(in(SessionState.MFA_REQUIRED));
        assertTrue(assertThrows(AuthException.class, () -> within(() -> filter.filter(pending.context()))).getMessage()
                .contains("/auth/mfa/verify"));
        Request enrolling = Request.to(me).withSession(in(SessionState.MFA_ENROLMENT_REQUIRED));
        assertTrue(assertThrows(AuthException.class, () -> within(() -> filter.filter(enrolling.context()))).getMessage()
                .contains("/auth/mfa/enroll"));
    }

    /** A capability's resource from another bundle, with one step a half-signed-in principal may take. */
    public static class Elsewhere {
        /** Data: complete sign-ins only. */
        public void data() {
        }

        /** A step of that capability's own sign-in flow. */
        @SignInStep(Assurance.PASSWORD_ONLY)
        public void step() {
        }
    }

    @Test
    @DisplayName("IAM-11, EXT-1: the MFA slot reads the assurance of whatever principal the authentication slot bound - not only auth's own sessions - on any capability's resource")
    void assuranceOfAnyPrincipal() throws NoSuchMethodException {
        Method data = Elsewhere.class.getMethod("data");
        Method step = Elsewhere.class.getMethod("step");
        Principal half = Principal.user("carol", "t1", Set.of()).withAssurance(Assurance.PASSWORD_ONLY);
        ExecutionContext c = ExecutionContext.builder(Channel.REST).principal(half).build();
        assertEquals("mfa-required", assertThrows(AuthException.class, () -> c.run(() -> filter.filter(new Request("GET", data)
                .context()))).code());
        c.run(() -> filter.filter(new Request("POST", step).context()));
        ExecutionContext enrolling = c.withPrincipal(half.withAssurance(Assurance.ENROLMENT_PENDING));
        assertEquals("mfa-required", assertThrows(AuthException.class, () -> enrolling.run(() -> filter.filter(new Request("POST", step)
                .context()))).code());
        c.withPrincipal(half.withAssurance(Assurance.COMPLETE)).run(() -> filter.filter(new Request("GET", data).context()));
    }
}
