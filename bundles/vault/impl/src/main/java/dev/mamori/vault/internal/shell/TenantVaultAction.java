package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.TenantService;
import dev.mamori.vault.VaultAdmin;

/** Base of the vault commands that act on one tenant, named by slug or id. */
abstract class TenantVaultAction extends MamoriAction {
    @Reference
    VaultAdmin vault;
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;
}
