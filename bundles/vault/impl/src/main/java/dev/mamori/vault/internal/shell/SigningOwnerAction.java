package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;
import dev.mamori.tenant.TenantService;
import dev.mamori.vault.VaultAdmin;
import dev.mamori.vault.VaultSigner;

/** Base of the signing key commands: one owner, a tenant (slug or id) or, with --platform, the platform. */
abstract class SigningOwnerAction extends MamoriAction {
    @Reference
    VaultAdmin vault;
    @Reference
    TenantService tenants;

    @Option(name = "--platform", description = "The platform's own keys (its audit log) instead of a tenant's.")
    boolean platform;

    @Argument(index = 0, name = "tenant", required = false, description = "Tenant slug or id (not with --platform).")
    @Completion(TenantCompleter.class)
    String tenant;

    /** @return the tenant's id, or {@link VaultSigner#PLATFORM}; exactly one of the two must be named */
    String owner() {
        if (platform == (tenant != null)) {
            throw new IllegalArgumentException("Name a tenant, or --platform for the platform's keys (not both).");
        }
        return platform ? VaultSigner.PLATFORM : tenants.get(tenant).id();
    }
}
