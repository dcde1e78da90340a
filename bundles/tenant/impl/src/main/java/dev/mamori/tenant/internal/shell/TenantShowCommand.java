package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.TenantService;

/** mamori:tenant-show */
@Service
@Command(scope = "mamori", name = "tenant-show", description = "Shows one tenant and its contract record.")
public class TenantShowCommand extends MamoriAction {
    @Reference
    TenantService tenants;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    @Override
    protected void run() {
        TenantDetails.print(tenants.get(tenant), clock);
    }
}
