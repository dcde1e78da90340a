package dev.mamori.shell.internal;

import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import dev.mamori.vault.KeyRestoreReport;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-restore-keys */
@Service
@Command(scope = "mamori", name = "vault-restore-keys",
        description = "After restoring a database backup taken before a key cut-off: takes the wrapped keys from the key "
                + "escrow. Never brings back a destroyed key.")
public class VaultRestoreKeysCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Argument(index = 0, name = "escrow", required = true, description = "Key escrow file written by the latest cut-off.")
    @Completion(FileCompleter.class)
    String escrow;

    @Override
    void run() {
        KeyRestoreReport r = vault.restoreKeys(Paths.get(escrow));
        System.out.println(r.restored() + " key(s) restored from the escrow, " + r.unchanged() + " already usable, "
                + r.unrecoverable() + " destroyed before the cut-off (their data stays unrecoverable).");
    }
}
