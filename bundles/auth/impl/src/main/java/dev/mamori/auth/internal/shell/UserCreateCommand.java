package dev.mamori.auth.internal.shell;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.auth.NewUser;
import dev.mamori.auth.Profile;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;

/** mamori:user-create — typically a tenant's first admin (IAM-1). */
@Service
@Command(scope = "mamori", name = "user-create", description = "Creates an account without a password and prints a single-use "
        + "reset token with which the person sets their own (POST /api/v1/auth/password-reset).")
public class UserCreateCommand extends UserAction {
    @Argument(index = 1, name = "login", required = true, description = "Login name, unique in the tenant.")
    String login;
    @Argument(index = 2, name = "employee-number", required = true, description = "Employee number, unique in the tenant.")
    String employeeNumber;
    @Option(name = "--role", multiValued = true, description = "Role (employee, reviewer, tenant-admin); repeatable. Default tenant-admin.")
    List<String> roles;
    @Option(name = "--name", description = "Full name.")
    String name;
    @Option(name = "--email", description = "E-mail address.")
    String email;

    @Override
    protected void run() {
        Set<String> r = roles == null || roles.isEmpty() ? Set.of(Roles.TENANT_ADMIN) : new TreeSet<>(roles);
        String[] out = inTenant(() -> {
            User u = users.create(new NewUser(login, employeeNumber, r, new Profile(name, email, null, null, null), null));
            return new String[] {u.id(), users.forcePasswordReset(u.id())};
        });
        System.out.println("Created account " + login + " (" + out[0] + ") in tenant " + tenant + " with roles " + r + ".");
        System.out.println("Reset token (works once, expires soon): " + out[1]);
    }
}
