package dev.mamori.retention.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.retention.PlannedAction;
import dev.mamori.retention.RetentionPlan;
import dev.mamori.retention.RetentionService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:retention-plan */
@Service
@Command(scope = "mamori", name = "retention-plan", description = "The dry run of the tenant calendar: what it would have done by the "
        + "end of a day (expiries, deletions; those a legal hold stops marked HELD), changing nothing.")
public class RetentionPlanCommand extends MamoriAction {
    @Reference
    RetentionService retention;

    @Option(name = "--at", description = "The day, yyyy-mm-dd (default: today, in the configured zone).")
    String at;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        RetentionPlan plan = retention.plan(at == null ? null : Format.parseDate(at, "--at"));
        ShellTable table = new ShellTable();
        table.column("Due");
        table.column("Tenant");
        table.column("Action");
        table.column("Rule");
        table.column("Held by");
        for (PlannedAction a : plan.actions()) {
            table.addRow().addContent(a.due(), a.slug(), a.action(), a.rule(), a.heldBy() == null ? "" : "HELD " + a.heldBy());
        }
        table.print(System.out, !noFormat);
        System.out.println(plan.actions().size() + " action(s) by the end of " + plan.at() + "; nothing was changed.");
    }
}
