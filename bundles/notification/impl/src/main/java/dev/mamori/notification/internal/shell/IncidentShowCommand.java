package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.ObligationClock;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:incident-show */
@Service
@Command(scope = "mamori", name = "incident-show", description = "Shows an incident and its clocks: the 72-hour notice (met once "
        + "every affected tenant got its e-mail), the 24-hour progress update, and the APPI report dates.")
public class IncidentShowCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "id", required = true, description = "Incident id.")
    String id;

    @Override
    protected void run() {
        Incident i = incidents.find(id).orElseThrow(() -> new MamoriException(NotificationErrors.NO_SUCH_INCIDENT, "No such incident."));
        System.out.println(i.title() + " [" + i.status() + "] version " + i.version());
        System.out.println("Discovered " + Format.time(i.discoveredAt(), clock) + ", opened " + Format.time(i.openedAt(), clock)
                + ", " + i.tenants() + " tenant(s)" + (i.allTenants() ? " (all)" : "") + ", " + i.noticesSent() + " notice(s) sent"
                + (i.unlawful() ? ", unlawful act" : ""));
        System.out.println("Summary: " + i.summary());
        System.out.println("Cause: " + (i.cause() == null ? "-" : i.cause()));
        System.out.println("Response: " + (i.response() == null ? "-" : i.response()));
        clocks(i, clock);
    }

    static void clocks(Incident i, Clock clock) {
        ShellTable table = new ShellTable();
        table.column("Clock");
        table.column("Due");
        table.column("State");
        table.column("Left");
        table.column("Pending");
        for (ObligationClock c : i.clocks()) {
            table.addRow().addContent(c.name(), Format.time(c.dueAt(), clock), c.state(),
                    c.state() == ObligationClock.State.OPEN || c.state() == ObligationClock.State.OVERDUE ? left(c) : "",
                    ObligationClock.NOTICE.equals(c.name()) ? c.pending() : "");
        }
        table.print(System.out, true);
    }

    private static String left(ObligationClock c) {
        java.time.Duration d = c.timeLeft();
        java.time.Duration a = d.abs();
        return (d.isNegative() ? "-" : "") + (a.toDays() > 0 ? a.toDays() + "d " : "") + a.toHoursPart() + "h " + a.toMinutesPart() + "m";
    }
}
