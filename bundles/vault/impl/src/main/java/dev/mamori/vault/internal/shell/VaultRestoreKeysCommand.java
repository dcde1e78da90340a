package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-restore-keys */
@Service
@Command(scope = "mamori", name = "vault-restore-keys",
        description = "After restoring a database backup taken before a key cut-off: takes the wrapped keys from the key "
                + "escrow of the latest cut-off. Never brings back a destroyed key. Reports only, unless --apply.")
public class VaultRestoreKeysCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Argument(index = 0, name = "escrow", required = true, description = "Key escrow file written by the latest cut-off.")
    @Completion(FileCompleter.class)
    String escrow;
    @Option(name = "--apply", description = "Make the changes; without it, only report what would change.")
    boolean apply;

    @Override
    protected void run() {
        KeyRestoreReport r = vault.restoreKeys(Paths.get(escrow), apply);
        System.out.println((r.applied() ? "" : "Dry run (add --apply to make these changes): ") + r.restored()
                + " key(s) restored from the escrow, " + r.unchanged() + " already usable, " + r.unrecoverable()
                + " destroyed before the cut-off (their data stays unrecoverable), " + r.unknown()
                + " under an unknown master key (left alone).");
    }
}
