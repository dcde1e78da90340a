package dev.mamori.platform.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

class ExecutionContextTest {

    @Test
    @DisplayName("TEN-1: a context is bound only for its scope, nested scopes restore the outer one, also on exceptions")
    void scopes() {
        assertFalse(ExecutionContext.current().isPresent());
        ExecutionContext outer = ExecutionContext.system("test");
        ExecutionContext inner = outer.withTenant("t-1");
        outer.run(() -> {
            assertEquals(outer, ExecutionContext.current().orElseThrow());
            assertThrows(IllegalStateException.class, () -> inner.run(() -> {
                assertEquals("t-1", ExecutionContext.require().tenantId().orElseThrow());
                throw new IllegalStateException("boom");
            }));
            assertEquals(outer, ExecutionContext.current().orElseThrow());
        });
        assertFalse(ExecutionContext.current().isPresent());
        assertEquals(PlatformErrors.NO_EXECUTION_CONTEXT.code(),
                assertThrows(MamoriException.class, ExecutionContext::require).code());
    }

    @Test
    @DisplayName("SEC-4: amend refines the current binding only; closing the binding restores what was before")
    void amend() {
        assertThrows(MamoriException.class, () -> ExecutionContext.amend(c -> c));
        try (ExecutionContext.Binding b = ExecutionContext.bind(ExecutionContext.builder(Channel.REST).clientIp("198.51.100.1").build())) {
            ExecutionContext amended = ExecutionContext.amend(c -> c.withPrincipal(Principal.user("u-1", "t-1", Set.of("employee"))));
            assertEquals(amended, ExecutionContext.require());
            assertEquals("198.51.100.1", ExecutionContext.require().clientIp().orElseThrow());
            assertEquals("u-1", ExecutionContext.require().principal().orElseThrow().id());
        }
        assertFalse(ExecutionContext.current().isPresent());
    }

    @Test
    @DisplayName("SEC-7: a caller's request id is kept only when safe; caller text in the context cannot forge log lines")
    void callerInputIsSanitised() {
        assertEquals("trace-12345678", ExecutionContext.builder(Channel.REST).requestId("trace-12345678").build().requestId());
        String forged = ExecutionContext.builder(Channel.REST).requestId("abc\r\nX-Evil: 1").build().requestId();
        assertTrue(forged.matches("[0-9a-f]{24}"), forged);
        assertNotEquals(ExecutionContext.newRequestId(), ExecutionContext.newRequestId());
        ExecutionContext c = ExecutionContext.builder(Channel.REST).userAgent("curl\r\nX: y").clientIp("1.2.3.4\n").build();
        assertEquals("curl??X: y", c.userAgent().orElseThrow());
        assertEquals("1.2.3.4?", c.clientIp().orElseThrow());
    }

    @Test
    @DisplayName("SEC-11: requirePrincipal refuses the anonymous (401) and other kinds (403)")
    void requirePrincipal() {
        ExecutionContext anonymous = ExecutionContext.builder(Channel.REST).build();
        assertEquals(PlatformErrors.UNAUTHENTICATED.code(),
                assertThrows(MamoriException.class, () -> anonymous.requirePrincipal(PrincipalKind.OPERATOR)).code());
        ExecutionContext user = anonymous.withPrincipal(Principal.user("u", "t", Set.of()));
        assertEquals(PlatformErrors.FORBIDDEN.code(),
                assertThrows(MamoriException.class, () -> user.requirePrincipal(PrincipalKind.OPERATOR)).code());
        ExecutionContext op = anonymous.withPrincipal(Principal.operator("alice", Set.of("operator")));
        assertEquals("alice", op.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM).id());
    }

    @Test
    @DisplayName("IAM-10/IAM-11: a principal half-way through signing in is refused by requirePrincipal (403 sign-in-incomplete); the assurance is part of its value")
    void incompleteSignIn() {
        Principal full = Principal.user("u", "t", Set.of("employee"));
        assertEquals(Assurance.COMPLETE, full.assurance());
        for (Assurance pending : new Assurance[] {Assurance.PASSWORD_ONLY, Assurance.ENROLMENT_PENDING}) {
            Principal half = full.withAssurance(pending);
            assertEquals(pending, half.assurance());
            assertNotEquals(full, half);
            assertEquals(full, half.withAssurance(Assurance.COMPLETE));
            ExecutionContext c = ExecutionContext.builder(Channel.REST).principal(half).build();
            assertEquals(PlatformErrors.SIGN_IN_INCOMPLETE.code(),
                    assertThrows(MamoriException.class, () -> c.requirePrincipal(PrincipalKind.USER)).code());
        }
        assertEquals("u", ExecutionContext.builder(Channel.REST).principal(full).build().requirePrincipal(PrincipalKind.USER).id());
    }

    @Test
    @DisplayName("OPS-1: platform principals belong to no tenant, users to exactly one; ids cannot carry free text")
    void principals() {
        assertThrows(IllegalArgumentException.class, () -> Principal.user("u", null, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Principal.operator("has space", Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Principal.operator("ok", Set.of("bad role")));
        assertTrue(PrincipalKind.OPERATOR.isPlatform() && PrincipalKind.SYSTEM.isPlatform() && !PrincipalKind.USER.isPlatform());
        assertThrows(IllegalArgumentException.class, () -> PlatformPurpose.of("NoDots", "x"));
        assertEquals("vault.reencrypt", PlatformPurpose.of("vault.reencrypt", "x").code());
    }
}
