package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.auth.Roles;

/** mamori:operator-create */
@Service
@Command(scope = "mamori", name = "operator-create", description = "Creates an operator (or, with --support, a support) account "
        + "without a password and prints the single-use reset token with which its owner sets one "
        + "(POST /api/v1/auth/password-reset without a tenant); the account then enrols TOTP at its first sign-in.")
public class OperatorCreateCommand extends OperatorAction {
    @Argument(index = 0, name = "login", required = true, description = "Login name, unique on the platform.")
    String login;
    @Option(name = "--support", description = "A support account: tenant metadata only, never record contents (OPS-2).")
    boolean support;

    @Override
    protected void run() {
        String role = support ? Roles.SUPPORT : Roles.OPERATOR;
        String token = accounts.create(login, role);
        System.out.println("Created " + role + " account " + login + ".");
        System.out.println("Reset token (works once, expires soon): " + token);
    }
}
