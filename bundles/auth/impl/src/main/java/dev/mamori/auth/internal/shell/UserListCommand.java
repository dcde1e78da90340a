package dev.mamori.auth.internal.shell;

import java.time.Clock;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.auth.User;
import dev.mamori.shell.spi.Format;

/** mamori:user-list */
@Service
@Command(scope = "mamori", name = "user-list", description = "Lists a tenant's accounts (no personal data).")
public class UserListCommand extends UserAction {
    @Reference
    Clock clock;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        List<User> list = inTenant(users::list);
        ShellTable table = new ShellTable();
        table.column("Login");
        table.column("Id");
        table.column("Employee no.");
        table.column("Roles");
        table.column("State");
        table.column("Locked");
        table.column("MFA");
        table.column("Created");
        for (User u : list) {
            table.addRow().addContent(u.loginName(), u.id(), u.employeeNumber() == null ? "" : u.employeeNumber(),
                    String.join(",", new java.util.TreeSet<>(u.roles())), u.state(), u.locked() ? "yes" : "no",
                    u.mfaEnrolled() ? "yes" : "no", Format.time(u.createdAt(), clock));
        }
        table.print(System.out, !noFormat);
    }
}
