package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** mamori:user-unlock */
@Service
@Command(scope = "mamori", name = "user-unlock", description = "Lifts a lockout after failed sign-ins (IAM-9).")
public class UserUnlockCommand extends UserAction {
    @Argument(index = 1, name = "account", required = true, description = "Account id or login name.")
    String account;

    @Override
    protected void run() {
        inTenant(() -> users.unlock(account(account).id()));
        System.out.println("Unlocked " + account + " in tenant " + tenant + ".");
    }
}
