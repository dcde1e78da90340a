package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/** mamori:tenant-terminate */
@Service
@Command(scope = "mamori", name = "tenant-terminate",
        description = "Records a contract termination and its date (TEN-5); a tenant with access becomes EXPIRED.")
public class TenantTerminateCommand extends MamoriAction {
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;
    @Argument(index = 1, name = "date", required = true, description = "Termination date, yyyy-mm-dd.")
    String date;

    @Override
    protected void run() {
        Tenant t = tenants.terminate(tenant, Format.parseDate(date, "date"));
        System.out.println("Tenant " + t.slug() + " terminated on " + Format.date(t.terminationDate()) + "; state " + t.state());
    }
}
