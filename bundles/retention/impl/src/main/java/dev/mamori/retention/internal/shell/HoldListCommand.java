package dev.mamori.retention.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.retention.LegalHold;
import dev.mamori.retention.LegalHoldService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:hold-list */
@Service
@Command(scope = "mamori", name = "hold-list", description = "Lists legal holds in force (with --all, released ones too), newest first.")
public class HoldListCommand extends MamoriAction {
    @Reference
    LegalHoldService holds;
    @Reference
    Clock clock;

    @Option(name = "--tenant", description = "One tenant (id or slug).")
    String tenant;
    @Option(name = "--all", description = "Released holds too.")
    boolean all;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Hold");
        table.column("Tenant");
        table.column("Scope");
        table.column("Value");
        table.column("Reason");
        table.column("Placed");
        table.column("Released");
        for (LegalHold h : holds.list(tenant, all)) {
            table.addRow().addContent(h.id(), h.tenantId(), h.scope(), h.value() == null ? "" : h.value(), h.reason(),
                    Format.time(h.placedAt(), clock), h.releasedAt() == null ? "" : Format.time(h.releasedAt(), clock) + ": "
                            + h.releaseReason());
        }
        table.print(System.out, !noFormat);
    }
}
