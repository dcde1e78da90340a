package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** mamori:user-password-reset */
@Service
@Command(scope = "mamori", name = "user-password-reset", description = "Forces a password reset and prints the single-use token "
        + "with which the person sets a new one (POST /api/v1/auth/password-reset). Operators: only while the tenant has no active "
        + "admin, for an account that never had a password (starting a tenant); otherwise its admins reset passwords (OPS-2).")
public class UserPasswordResetCommand extends UserAction {
    @Argument(index = 1, name = "account", required = true, description = "Account id or login name.")
    String account;

    @Override
    protected void run() {
        String token = inTenant(() -> users.forcePasswordReset(account(account).id()));
        System.out.println("Reset token for " + account + " (works once, expires soon): " + token);
    }
}
