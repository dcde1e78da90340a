package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** mamori:tenant-list */
@Service
@Command(scope = "mamori", name = "tenant-list", description = "Lists tenants with their state and contract dates.")
public class TenantListCommand extends MamoriAction {
    @Reference
    TenantService tenants;
    @Reference
    Clock clock;

    @Option(name = "--state", description = "Only tenants in this state (TRIAL, ACTIVE, EXPIRED, DELETED, PURGED).")
    TenantState state;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Slug");
        table.column("Id");
        table.column("Name");
        table.column("State");
        table.column("Plan");
        table.column("Region");
        table.column("Trial ends");
        table.column("Contract end");
        table.column("Created");
        for (Tenant t : tenants.list()) {
            if (state == null || t.state() == state) {
                table.addRow().addContent(t.slug(), t.id(), t.displayName(), t.state(), t.plan(), t.region(),
                        Format.date(t.trialEndsOn()), Format.date(t.contractEnd()), Format.time(t.createdAt(), clock));
            }
        }
        table.print(System.out, !noFormat);
    }
}
