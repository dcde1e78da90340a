package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.KeyCutOff;
import dev.mamori.vault.VaultAdmin;

/** mamori:vault-cutoff */
@Service
@Command(scope = "mamori", name = "vault-cutoff",
        description = "Key cut-off: new master key version, every live key re-wrapped, key escrow written, older master "
                + "key versions destroyed, so keys destroyed earlier are gone from every backup too. Runs by itself after "
                + "shredding and, for person erasures, within the configured interval.")
public class VaultCutOffCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Override
    protected void run() {
        print(vault.cutOff());
    }

    static void print(KeyCutOff cut) {
        System.out.println("Key cut-off: master key " + cut.kekId() + " current, " + cut.rewrapped() + " key(s) re-wrapped, "
                + "destroyed master key version(s) " + cut.destroyedKekIds() + ".");
        System.out.println("Key escrow written to " + cut.escrow() + ": database backups taken before now need it "
                + "(mamori:vault-restore-keys) and can no longer open destroyed keys.");
    }
}
