package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;

/** mamori:vault-status */
@Service
@Command(scope = "mamori", name = "vault-status", description = "Shows whether the vault is sealed and which key provider it uses.")
public class VaultStatusCommand extends MamoriAction {
    @Reference
    VaultService vault;

    @Override
    protected void run() {
        VaultStatus s = vault.status();
        System.out.println("Vault " + (s.sealed() ? "SEALED" : "UNSEALED") + ": " + s.detail()
                + (s.keyProvider() != null ? " (key provider " + s.keyProvider() + ")" : ""));
    }
}
