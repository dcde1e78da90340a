package dev.mamori.shell.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventEncoding;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

class MamoriActionTest {
    /** The events seam as the platform provides it, recording; refuses shell.command.run when asked to (a failing audit trail). */
    static final class Events implements EventPublisher {
        final List<MamoriEvent> published = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public MamoriEvent publish(MamoriEvent.Builder event) {
            if (refuse) {
                throw new MamoriException(PlatformErrors.EVENT_DELIVERY_FAILED, "The action cannot be recorded now; nothing was done.");
            }
            MamoriEvent e = event.build(java.time.Instant.EPOCH, ExecutionContext.current().orElse(null));
            published.add(e);
            return e;
        }
    }

    final Events events = new Events();

    <T extends MamoriAction> T wired(T action) {
        action.events = events;
        return action;
    }

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
        MamoriAction action = wired(new MamoriAction() {
            @Override
            protected void run() {
                seen.set(ExecutionContext.require());
            }
        });
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
        MamoriAction failing = wired(new MamoriAction() {
            @Override
            protected void run() {
                throw new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job 'x'.");
            }
        });
        CommandException e = assertThrows(CommandException.class, () -> runAs(subject("alice", null, "operator"), failing));
        assertEquals("no-such-job: No job 'x'.", e.getMessage());
        assertFalse(ExecutionContext.current().isPresent());
        MamoriAction invalid = wired(new MamoriAction() {
            @Override
            protected void run() {
                Format.parseDate("31/12/2026", "--until");
            }
        });
        assertEquals("invalid-request: --until must be a date like 2026-12-31, not '31/12/2026'.",
                assertThrows(CommandException.class, () -> runAs(subject("alice", null, "operator"), invalid)).getMessage());
    }

    /** A command as a capability writes one, with an argument that must never reach the audit trail. */
    @Command(scope = "mamori", name = "test-unseal", description = "test")
    static class Unseal extends MamoriAction {
        @Argument(index = 0, name = "passphrase")
        String passphrase;
        final List<MamoriEvent> atRun = new CopyOnWriteArrayList<>();
        Events seen;
        RuntimeException failure;

        @Override
        protected void run() {
            atRun.addAll(seen.published);
            if (failure != null) {
                throw failure;
            }
        }
    }

    Unseal unseal(String passphrase, RuntimeException failure) {
        Unseal u = wired(new Unseal());
        u.passphrase = passphrase;
        u.seen = events;
        u.failure = failure;
        return u;
    }

    @Test
    @DisplayName("OPS-3, AUD-2: every command is recorded before it runs, with its name, the operator and the SSH address, never its arguments")
    void everyCommandIsRecorded() throws Exception {
        Unseal u = unseal("correct horse battery staple", null);
        runAs(subject("alice", "/192.0.2.7:53422", "operator"), u);
        assertEquals(1, events.published.size());
        MamoriEvent e = events.published.get(0);
        assertEquals(List.of(e), u.atRun, "published before the command ran");
        assertTrue(e.is(ShellEvents.COMMAND_RUN));
        assertEquals(MamoriEvent.Outcome.SUCCESS, e.outcome());
        assertEquals(Map.of("command", "mamori:test-unseal"), e.details());
        assertEquals("alice", e.principalId().orElseThrow());
        assertEquals(PrincipalKind.OPERATOR, e.principalKind().orElseThrow());
        assertEquals("192.0.2.7", e.clientIp().orElseThrow());
        assertEquals("SHELL", e.channel().orElseThrow());
        assertFalse(EventEncoding.text(e).contains("horse"), "never an argument");
    }

    @Test
    @DisplayName("OPS-3: a command that fails is followed by shell.command.failed with its error code; a refusal is DENIED")
    void failuresAreRecorded() {
        assertThrows(CommandException.class, () -> runAs(subject("alice", "/192.0.2.7:1", "operator"),
                unseal("x", new MamoriException(PlatformErrors.NO_SUCH_JOB, "No job 'x'."))));
        assertThrows(CommandException.class, () -> runAs(subject("bob", "/192.0.2.8:1", "support"),
                unseal("x", new MamoriException(PlatformErrors.FORBIDDEN, "Not for support."))));
        assertThrows(IllegalStateException.class, () -> runAs(subject("alice", "/192.0.2.7:1", "operator"),
                unseal("x", new IllegalStateException("bug with secret detail"))));
        List<MamoriEvent> failed = events.published.stream().filter(e -> e.is(ShellEvents.COMMAND_FAILED)).collect(Collectors.toList());
        assertEquals(3, failed.size());
        assertEquals(Map.of("command", "mamori:test-unseal", "error", "no-such-job"), failed.get(0).details());
        assertEquals(MamoriEvent.Outcome.FAILURE, failed.get(0).outcome());
        assertEquals("forbidden", failed.get(1).details().get("error"));
        assertEquals(MamoriEvent.Outcome.DENIED, failed.get(1).outcome());
        assertEquals("192.0.2.8", failed.get(1).clientIp().orElseThrow());
        assertEquals("internal", failed.get(2).details().get("error"), "an unexpected failure's message stays out of the trail");
    }

    @Test
    @DisplayName("AUD-1, OPS-3: a command that cannot be recorded does not run (fail closed), and says so in one line")
    void unrecordedCommandsDoNotRun() {
        events.refuse = true;
        Unseal u = unseal("x", null);
        CommandException e = assertThrows(CommandException.class, () -> runAs(subject("alice", "/192.0.2.7:1", "operator"), u));
        assertTrue(e.getMessage().startsWith("event-delivery-failed: "), e.getMessage());
        assertTrue(u.atRun.isEmpty() && events.published.isEmpty());
        Unseal unwired = new Unseal();
        unwired.seen = events;
        assertTrue(assertThrows(CommandException.class, () -> runAs(subject("alice", null, "operator"), unwired)).getMessage()
                .startsWith("event-listener-missing: "));
        assertFalse(ExecutionContext.current().isPresent());
    }
}
