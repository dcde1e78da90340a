package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.ObligationClock;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:incident-list */
@Service
@Command(scope = "mamori", name = "incident-list", description = "Lists incidents, newest discovery first, with the state of their "
        + "notice and progress clocks.")
public class IncidentListCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Option(name = "--open", description = "Only those still running or with tenants not told.")
    boolean open;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Incident");
        table.column("Title");
        table.column("Status");
        table.column("Discovered");
        table.column("Tenants");
        table.column("Notice");
        table.column("Progress");
        for (Incident i : incidents.list(open)) {
            ObligationClock notice = i.clocks().get(0);
            ObligationClock progress = i.clocks().get(1);
            table.addRow().addContent(i.id(), i.title(), i.status(), Format.time(i.discoveredAt(), clock), i.tenants(),
                    notice.state() + (notice.pending() > 0 ? " (" + notice.pending() + " pending)" : ""), progress.state());
        }
        table.print(System.out, !noFormat);
    }
}
