package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.ParticipantInfo;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-participants */
@Service
@Command(scope = "mamori", name = "vault-participants",
        description = "Components that hold vault ciphertext of a purpose; a re-encryption waits for every one of them. "
                + "--forget removes one that is gone for good.")
public class VaultParticipantsCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Option(name = "--purpose", description = "records, attachments, backup or audit (default records).")
    String purpose = KeyPurpose.RECORDS.id();
    @Option(name = "--forget", description = "Name of a component uninstalled for good.")
    String forget;

    @Override
    protected void run() {
        KeyPurpose p = KeyPurpose.fromId(purpose);
        if (forget != null) {
            System.out.println(vault.forgetParticipant(forget, p)
                    ? "Re-encryptions of " + p.id() + " data no longer wait for '" + forget + "'."
                    : "No component '" + forget + "' was known for " + p.id() + " data.");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("Purpose");
        table.column("Running");
        for (ParticipantInfo i : vault.participants(p)) {
            table.addRow().addContent(i.name(), i.purpose().id(), i.running() ? "yes" : "NO");
        }
        table.print(System.out);
    }
}
