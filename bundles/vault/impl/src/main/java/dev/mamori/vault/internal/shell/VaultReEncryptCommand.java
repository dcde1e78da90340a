package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.ReEncryptionJob;

/** mamori:vault-reencrypt */
@Service
@Command(scope = "mamori", name = "vault-reencrypt",
        description = "Re-encrypts a tenant's data under its current key version in the background, then archives the "
                + "older versions (kept for restoring older backups). Resumes an unfinished job; follow it with mamori:vault-jobs.")
public class VaultReEncryptCommand extends TenantPurposeAction {

    @Override
    protected void run() {
        ReEncryptionJob job = vault.reEncrypt(tenants.get(tenant).id(), purpose());
        System.out.println("Re-encryption " + job.id() + " " + job.state() + ": " + job.purpose().id() + " data of " + tenant
                + " to version " + job.targetVersion() + " through " + job.participants() + ".");
    }
}
