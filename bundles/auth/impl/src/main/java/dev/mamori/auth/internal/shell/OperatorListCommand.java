package dev.mamori.auth.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.auth.PlatformAccount;
import dev.mamori.shell.spi.Format;

/** mamori:operator-list */
@Service
@Command(scope = "mamori", name = "operator-list", description = "Lists operator and support accounts.")
public class OperatorListCommand extends OperatorAction {
    @Reference
    Clock clock;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Login");
        table.column("Role");
        table.column("State");
        table.column("Locked");
        table.column("MFA");
        table.column("Created");
        for (PlatformAccount a : accounts.list()) {
            table.addRow().addContent(a.loginName(), a.role(), a.state(), a.locked() ? "yes" : "no", a.mfaEnrolled() ? "yes" : "no",
                    Format.time(a.createdAt(), clock));
        }
        table.print(System.out, !noFormat);
    }
}
