package dev.mamori.notification.internal.shell;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.notification.Availability;
import dev.mamori.notification.SlaService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:sla-report */
@Service
@Command(scope = "mamori", name = "sla-report", description = "Availability for a calendar month (OPS-5): the platform's and every "
        + "tenant's, measured every minute, announced maintenance left out, tenants' incident outages counted as down.")
public class SlaReportCommand extends MamoriAction {
    @Reference
    SlaService sla;

    @Option(name = "--month", description = "yyyy-MM (default: this month so far).")
    String month;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        YearMonth m;
        try {
            m = month == null ? null : YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--month: yyyy-MM, e.g. 2026-11.");
        }
        ShellTable table = new ShellTable();
        table.column("Month");
        table.column("Scope");
        table.column("Available %");
        table.column("Measured min");
        table.column("Down min");
        table.column("Maintenance min");
        table.column("Below target");
        table.column("Complete");
        for (Availability a : sla.all(m)) {
            table.addRow().addContent(a.month(), a.tenantId() == null ? "platform" : a.tenantId(), a.percent() == null ? "-"
                    : a.percent().toPlainString(), a.measured(), a.down(), a.maintenance(), a.below() ? "BELOW " + a.target() : "",
                    a.complete() ? "yes" : "so far");
        }
        table.print(System.out, !noFormat);
    }
}
