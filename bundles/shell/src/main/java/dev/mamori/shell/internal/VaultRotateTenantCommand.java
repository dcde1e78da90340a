package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.tenant.TenantService;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-rotate-tenant */
@Service
@Command(scope = "mamori", name = "vault-rotate-tenant",
        description = "New data key version for a tenant: new writes use it, older versions keep decrypting.")
public class VaultRotateTenantCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;
    @Reference
    TenantService tenants;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;
    @Option(name = "--purpose", description = "records, attachments, backup or audit (default records).")
    String purpose = KeyPurpose.RECORDS.id();

    @Override
    void run() {
        KeyInfo k = vault.rotateTenantKey(tenants.get(tenant).id(), KeyPurpose.fromId(purpose));
        System.out.println("Tenant " + tenant + " " + k.purpose().id() + " key " + k.keyId() + " is now at version " + k.version());
    }
}
