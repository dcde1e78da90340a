package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-jobs */
@Service
@Command(scope = "mamori", name = "vault-jobs", description = "Lists background re-encryption jobs, newest first.")
public class VaultJobsCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Override
    void run() {
        ShellTable table = new ShellTable();
        table.column("Job");
        table.column("Tenant");
        table.column("Purpose");
        table.column("Target");
        table.column("State");
        table.column("Re-encrypted");
        table.column("Retired");
        table.column("Detail");
        for (ReEncryptionJob j : vault.reEncryptionJobs()) {
            table.addRow().addContent(j.id(), j.tenantId(), j.purpose().id(), j.targetVersion(), j.state(), j.reEncrypted(),
                    j.retiredVersions(), j.detail());
        }
        table.print(System.out);
    }
}
