package dev.mamori.records.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.records.TrashService;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;

/** mamori:trash-purge */
@Service
@Command(scope = "mamori", name = "trash-purge", description = "Purges now, for good, a tenant's trashed records whose trash "
        + "period has passed (what the daily records.trash-purge job does); recorded in the purge ledger and the tenant's audit log.")
public class TrashPurgeCommand extends MamoriAction {
    @Reference
    TrashService trash;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    @Override
    protected void run() {
        System.out.println(trash.purgeExpired(tenant) + " record(s) purged");
    }
}
