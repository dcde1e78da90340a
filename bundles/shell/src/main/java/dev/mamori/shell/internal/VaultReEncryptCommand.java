package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.tenant.TenantService;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-reencrypt */
@Service
@Command(scope = "mamori", name = "vault-reencrypt",
        description = "Re-encrypts a tenant's data under its current key version in the background, then destroys the "
                + "older versions. Resumes an unfinished job; follow it with mamori:vault-jobs.")
public class VaultReEncryptCommand extends MamoriAction {
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
        ReEncryptionJob job = vault.reEncrypt(tenants.get(tenant).id(), KeyPurpose.fromId(purpose));
        System.out.println("Re-encryption " + job.id() + " " + job.state() + ": " + job.purpose().id() + " data of " + tenant
                + " to version " + job.targetVersion() + " through " + job.participants() + ".");
    }
}
