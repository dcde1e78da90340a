package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** mamori:user-mfa-reset */
@Service
@Command(scope = "mamori", name = "user-mfa-reset", description = "Removes an account's second factor and recovery codes and ends "
        + "its sessions; the account enrols again at its next sign-in.")
public class UserMfaResetCommand extends UserAction {
    @Argument(index = 1, name = "account", required = true, description = "Account id or login name.")
    String account;

    @Override
    protected void run() {
        inTenant(() -> users.resetMfa(account(account).id()));
        System.out.println("Second factor of " + account + " in tenant " + tenant + " removed.");
    }
}
