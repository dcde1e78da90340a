package dev.mamori.shell.spi;

import dev.mamori.platform.event.EventType;

/**
 * Event types of the operator shell (OPS-3): every {@code mamori:*} command, published by
 * {@link MamoriAction} in the operator's execution context, so each carries the operator, the SSH
 * client's address and the command's request id — which the events of the command's own work share.
 * Never the command's arguments: they can hold secrets (a passphrase) or personal data.
 */
public final class ShellEvents {
    /**
     * A command is about to run (published before it runs: a command that cannot be recorded does
     * not run); command ({@code scope:name}).
     */
    public static final EventType COMMAND_RUN = EventType.of("shell.command.run", "command");
    /**
     * A command that ran failed (outcome FAILURE, or DENIED when refused for who ran it); command,
     * error (the error code, e.g. {@code no-such-tenant}; {@code internal} for an unexpected failure).
     */
    public static final EventType COMMAND_FAILED = EventType.of("shell.command.failed", "command", "error");

    private ShellEvents() {
    }
}
