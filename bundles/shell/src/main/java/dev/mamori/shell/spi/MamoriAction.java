package dev.mamori.shell.spi;

import java.security.AccessController;
import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Base of every {@code mamori:*} command, first-party or a plugin's: it runs the command in an
 * {@link ExecutionContext} that names the operator (from the session's JAAS subject, the one place
 * that reads it) and the SSH client's address, so every event the command causes says who acted
 * from where; it records every command ({@link ShellEvents}: {@code shell.command.run} before it
 * runs, so that a command that cannot be recorded does not run, and {@code shell.command.failed}
 * when it fails — the command's name, never its arguments, OPS-3); and a refused operation (any
 * {@link MamoriException}: unknown tenant, illegal transition, invalid input, sealed vault) is the
 * operator's one-line error, never a stack trace logged as a server fault.
 *
 * <p>Commands are Karaf actions in the capability's own bundle ({@code Karaf-Commands} header,
 * scope {@code mamori}); the command ACL ({@code org.apache.karaf.command.acl.mamori}) decides who
 * may run them before they run.
 */
public abstract class MamoriAction implements Action {
    /** The role of platform operators. */
    public static final String OPERATOR_ROLE = "operator";
    /** The role of platform support (metadata only). */
    public static final String SUPPORT_ROLE = "support";

    /** Injected by Karaf's action manager, which fills {@code @Reference} fields of superclasses too. */
    @Reference
    EventPublisher events;

    @Override
    public final Object execute() throws Exception {
        try (ExecutionContext.Binding b = ExecutionContext.bind(sessionContext())) {
            String command = commandName();
            EventPublisher publisher = events;
            if (publisher == null) {
                // fail closed: a command the audit trail cannot hear of does not run
                throw new MamoriException(PlatformErrors.EVENT_LISTENER_MISSING, "Commands cannot be recorded now; nothing was done.");
            }
            publisher.publish(MamoriEvent.builder(ShellEvents.COMMAND_RUN).detail("command", command));
            try {
                run();
            } catch (Exception | Error e) {
                failed(publisher, command, e);
                throw e;
            }
            return null;
        } catch (MamoriException e) {
            throw new CommandException(e.code() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // invalid option values (an unknown key purpose): the message says what is allowed
            throw new CommandException(e.getMessage());
        }
    }

    /**
     * Does the command's work, in its execution context.
     *
     * @throws Exception any failure; a {@link MamoriException} becomes one line
     */
    protected abstract void run() throws Exception;

    /** The follow-up of a command that failed; its own failure to be recorded never hides the command's error. */
    private static void failed(EventPublisher publisher, String command, Throwable e) {
        String error = e instanceof MamoriException ? ((MamoriException) e).code()
                : e instanceof IllegalArgumentException ? PlatformErrors.INVALID.code() : "internal";
        boolean refused = e instanceof MamoriException && (((MamoriException) e).kind() == ErrorKind.FORBIDDEN
                || ((MamoriException) e).kind() == ErrorKind.UNAUTHENTICATED);
        try {
            publisher.publish(MamoriEvent.builder(ShellEvents.COMMAND_FAILED).detail("command", command).detail("error", error)
                    .outcome(refused ? MamoriEvent.Outcome.DENIED : MamoriEvent.Outcome.FAILURE));
        } catch (RuntimeException x) {
            e.addSuppressed(x);
        }
    }

    /** @return {@code scope:name} of the command (never its arguments) */
    String commandName() {
        Command c = getClass().getAnnotation(Command.class);
        return c != null ? c.scope() + ":" + c.name() : getClass().getName();
    }

    /** @return who runs this command, from where */
    static ExecutionContext sessionContext() {
        @SuppressWarnings("removal")
        Subject subject = Subject.getSubject(AccessController.getContext());
        String user = null;
        String client = null;
        Set<String> roles = new TreeSet<>();
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof UserPrincipal && user == null) {
                    user = p.getName();
                } else if (p instanceof RolePrincipal) {
                    roles.add(p.getName());
                } else if (p instanceof ClientPrincipal && client == null) {
                    client = address((ClientPrincipal) p);
                }
            }
        }
        ExecutionContext.Builder b = ExecutionContext.builder(Channel.SHELL).clientIp(client);
        if (user != null) {
            Set<String> safeRoles = new TreeSet<>();
            roles.stream().filter(r -> r.matches("[A-Za-z0-9._@:+-]{1,128}")).forEach(safeRoles::add);
            String id = user.matches("[A-Za-z0-9._@:+-]{1,128}") ? user : "operator";
            b.principal(!safeRoles.contains(OPERATOR_ROLE) && safeRoles.contains(SUPPORT_ROLE)
                    ? dev.mamori.platform.context.Principal.support(id, safeRoles)
                    : dev.mamori.platform.context.Principal.operator(id, safeRoles));
        }
        return b.build();
    }

    /**
     * The client address of a Karaf {@code ClientPrincipal}, for anything that authenticates a shell
     * user (commands, login modules).
     *
     * @param p the principal Karaf put into the subject
     * @return {@code ssh(/10.0.0.5:53422)} → {@code 10.0.0.5}; the local console is {@code local}
     */
    public static String address(ClientPrincipal p) {
        if (!"ssh".equals(p.getMethod())) {
            return p.getMethod();
        }
        String a = p.getAddress();
        if (a == null) {
            return null;
        }
        a = a.substring(a.lastIndexOf('/') + 1);
        int port = a.lastIndexOf(':');
        if (port > 0 && a.indexOf(']') < port) {
            a = a.substring(0, port);
        }
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }
}
