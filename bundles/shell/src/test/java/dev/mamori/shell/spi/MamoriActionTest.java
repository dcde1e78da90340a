package dev.mamori.shell.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivilegedExceptionAction;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

class MamoriActionTest {

    static Object runAs(Subject subject, MamoriAction action) throws Exception {
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<Object>) action::execute);
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        }
    }

    static Subject subject(String user, String client, String... roles) {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(user));
        for (String r : roles) {
            s.getPrincipals().add(new RolePrincipal(r));
        }
        if (client != null) {
            s.getPrincipals().add(new ClientPrincipal("ssh", client));
        }
        return s;
    }

    @Test
    @DisplayName("OPS-3, AUD-2: a command runs as the operator of its session, with the SSH client's address; nothing stays bound")
    void contextFromTheSession() throws Exception {
        AtomicReference<ExecutionContext> seen = new AtomicReference<>();
        MamoriAction action = new MamoriAction() {
            @Override
            protected void run() {
                seen.set(ExecutionContext.require());
            }
        };
        runAs(subject("alice", "/192.0.2.7:53422", "operator", "ssh"), action);
        ExecutionContext c = seen.get();
        assertEquals(Channel.SHELL, c.channel());
        assertEquals("alice", c.principal().orElseThrow().id());
        assertEquals(PrincipalKind.OPERATOR, c.principal().orElseThrow().kind());
        assertTrue(c.principal().orElseThrow().hasRole("operator"));
        assertEquals("192.0.2.7", c.clientIp().orElseThrow());
        assertFalse(ExecutionContext.current().isPresent());
        runAs(subject("bob", "/[0:0:0:0:0:0:0:1]:40000", "support"), action);
        assertEquals(PrincipalKind.SUPPORT, seen.get().principal().orElseThrow().kind());
        assertEquals("0:0:0:0:0:0:0:1", seen.get().clientIp().orElseThrow());
    }

    @Test
    @DisplayName("EXT-3: any typed error is one line with its code; the context is gone afterwards")
    void oneLineErrors() {
        MamoriAction failing = new MamoriAction() {
            @Override
            protected void run() {
                throw new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job 'x'.");
            }
        };
        CommandException e = assertThrows(CommandException.class, () -> runAs(subject("alice", null, "operator"), failing));
        assertEquals("no-such-job: No job 'x'.", e.getMessage());
        assertFalse(ExecutionContext.current().isPresent());
        MamoriAction invalid = new MamoriAction() {
            @Override
            protected void run() {
                Format.parseDate("31/12/2026", "--until");
            }
        };
        assertEquals("invalid-request: --until must be a date like 2026-12-31, not '31/12/2026'.",
                assertThrows(CommandException.class, () -> runAs(subject("alice", null, "operator"), invalid)).getMessage());
    }
}
