package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.tenant.Tenant;
import dev.mamori.vault.KeyInfo;
import dev.mamori.vault.ShredReport;

/** mamori:vault-shred */
@Service
@Command(scope = "mamori", name = "vault-shred",
        description = "Crypto-shreds every data and person key of a DELETED tenant, then runs a key cut-off: its data "
                + "becomes unrecoverable everywhere, backups included. Irreversible; repeat the tenant with --confirm.")
public class VaultShredCommand extends TenantVaultAction {
    @Option(name = "--confirm", required = true, description = "The tenant's slug or id again.")
    String confirm;

    @Override
    protected void run() {
        Tenant target = tenants.get(tenant);
        String confirmation = tenants.find(confirm).map(Tenant::id).orElse("");
        ShellTable table = new ShellTable();
        table.column("Destroyed key");
        table.column("Version");
        table.column("Purpose");
        ShredReport report = vault.shredTenant(target.id(), confirmation);
        for (KeyInfo k : report.dataKeys()) {
            table.addRow().addContent(k.keyId(), k.version(), k.purpose().id());
        }
        table.print(System.out);
        System.out.println("Tenant " + target.slug() + ": " + report.dataKeys().size() + " data key(s) and "
                + report.personKeys() + " person key(s) destroyed; its encrypted data is unrecoverable.");
        if (report.signingKeys() > 0) {
            System.out.println(report.signingKeys() + " signing key version(s) destroyed; their signatures verify only with "
                    + "public keys exported before.");
        }
        VaultCutOffCommand.print(report.cutOff());
    }
}
