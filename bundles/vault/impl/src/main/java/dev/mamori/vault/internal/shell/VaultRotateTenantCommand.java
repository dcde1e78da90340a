package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.KeyInfo;

/** mamori:vault-rotate-tenant */
@Service
@Command(scope = "mamori", name = "vault-rotate-tenant",
        description = "New data key version for a tenant: new writes use it, older versions keep decrypting.")
public class VaultRotateTenantCommand extends TenantPurposeAction {

    @Override
    protected void run() {
        KeyInfo k = vault.rotateTenantKey(tenants.get(tenant).id(), purpose());
        System.out.println("Tenant " + tenant + " " + k.purpose().id() + " key " + k.keyId() + " is now at version " + k.version());
    }
}
