package dev.mamori.tenant.internal.shell;

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

/** mamori:tenant-delete */
@Service
@Command(scope = "mamori", name = "tenant-delete",
        description = "Deletes a tenant (-> DELETED): it vanishes from user views now and is purged within 30 days. "
                + "Irreversible; repeat the slug with --confirm.")
public class TenantDeleteCommand extends MamoriAction {
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;
    @Option(name = "--confirm", required = true, description = "The tenant's slug again, to confirm.")
    String confirm;

    @Override
    protected void run() {
        // the service checks the confirmation, so every adapter gets the same rule
        Tenant t = tenants.delete(tenant, confirm);
        System.out.println("Tenant " + t.slug() + " is " + t.state());
    }
}
