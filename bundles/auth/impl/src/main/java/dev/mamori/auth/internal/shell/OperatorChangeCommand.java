package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** mamori:operator-change */
@Service
@Command(scope = "mamori", name = "operator-change", description = "Changes a platform account: unlock, mfa-reset (it enrols again), "
        + "deactivate, reactivate, or password-reset (prints a single-use reset token).")
public class OperatorChangeCommand extends OperatorAction {
    @Argument(index = 0, name = "login", required = true, description = "Login name.")
    String login;
    @Argument(index = 1, name = "change", required = true, description = "unlock, mfa-reset, deactivate, reactivate or password-reset.")
    @Completion(values = {"unlock", "mfa-reset", "deactivate", "reactivate", "password-reset"}, value = StringsCompleter.class)
    String change;

    @Override
    protected void run() {
        switch (change) {
            case "unlock":
                accounts.unlock(login);
                break;
            case "mfa-reset":
                accounts.resetMfa(login);
                break;
            case "deactivate":
                accounts.deactivate(login);
                break;
            case "reactivate":
                accounts.reactivate(login);
                break;
            case "password-reset":
                System.out.println("Reset token (works once, expires soon): " + accounts.forcePasswordReset(login));
                return;
            default:
                throw new IllegalArgumentException("The change is one of unlock, mfa-reset, deactivate, reactivate, password-reset.");
        }
        System.out.println("Platform account " + login + ": " + change + " done.");
    }
}
