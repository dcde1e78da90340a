package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/** mamori:tenant-activate */
@Service
@Command(scope = "mamori", name = "tenant-activate",
        description = "Moves a TRIAL tenant to a paid plan, or renews an EXPIRED one (-> ACTIVE).")
public class TenantActivateCommand extends MamoriAction {
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;
    @Option(name = "--plan", required = true, description = "Plan of the contract.")
    String plan;
    @Option(name = "--from", description = "First contract day, yyyy-mm-dd (default: today).")
    String from;
    @Option(name = "--until", description = "Last contract day, yyyy-mm-dd (default: open-ended).")
    String until;

    @Override
    protected void run() {
        Tenant t = tenants.activate(tenant, plan, Format.parseDate(from, "--from"), Format.parseDate(until, "--until"));
        System.out.println("Tenant " + t.slug() + " is " + t.state() + " on plan " + t.plan());
    }
}
