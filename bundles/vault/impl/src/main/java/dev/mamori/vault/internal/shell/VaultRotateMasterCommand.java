package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.VaultAdmin;

/** mamori:vault-rotate-master */
@Service
@Command(scope = "mamori", name = "vault-rotate-master",
        description = "Creates a new master key version and re-wraps every data key with it, online (no data re-encrypted).")
public class VaultRotateMasterCommand extends MamoriAction {
    @Reference
    VaultAdmin vault;

    @Override
    protected void run() {
        String[] result = vault.rotateMaster().split(" ");
        System.out.println("Master key is now " + result[0] + "; " + result[1] + " data key(s) re-wrapped");
    }
}
