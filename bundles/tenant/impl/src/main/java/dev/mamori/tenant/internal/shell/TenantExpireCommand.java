package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/** mamori:tenant-expire */
@Service
@Command(scope = "mamori", name = "tenant-expire",
        description = "Ends a trial or a paid plan (-> EXPIRED): users are locked out, data is kept.")
public class TenantExpireCommand extends MamoriAction {
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    @Override
    protected void run() {
        Tenant t = tenants.expire(tenant);
        System.out.println("Tenant " + t.slug() + " is " + t.state());
    }
}
