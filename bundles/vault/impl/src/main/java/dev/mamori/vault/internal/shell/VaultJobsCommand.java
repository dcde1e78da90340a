package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.vault.ReEncryptionJob;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-jobs */
@Service
@Command(scope = "mamori", name = "vault-jobs",
        description = "Lists background re-encryption jobs, newest first; --cancel stops one (nothing is archived).")
public class VaultJobsCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Option(name = "--cancel", description = "Id of a RUNNING or FAILED job to cancel.")
    String cancel;

    @Override
    protected void run() {
        if (cancel != null) {
            ReEncryptionJob j = vault.cancelReEncryption(cancel);
            System.out.println("Re-encryption " + j.id() + " " + j.state() + ": " + j.detail());
            return;
        }
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
