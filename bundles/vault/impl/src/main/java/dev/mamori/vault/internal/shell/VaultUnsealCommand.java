package dev.mamori.vault.internal.shell;

import dev.mamori.shell.spi.MamoriAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultUnsealer;

/** mamori:vault-unseal */
@Service
@Command(scope = "mamori", name = "vault-unseal",
        description = "Opens the master keys with their passphrase, without a restart. Asks for it, or reads --passphrase-file. "
                + "--init creates the first keystore of an installation that never had keys (production, passphrase from the environment).")
public class VaultUnsealCommand extends MamoriAction {
    @Reference
    VaultUnsealer unsealer;
    @Reference
    VaultService vault;
    @Reference
    Session session;

    @Option(name = "--passphrase-file", description = "Read the passphrase from this file (for scripts) instead of asking.")
    String passphraseFile;
    @Option(name = "--init", description = "Create the master keystore with this passphrase (only where no key was ever stored).")
    boolean init;

    @Override
    protected void run() throws Exception {
        char[] passphrase = passphraseFile != null
                ? new String(Files.readAllBytes(Paths.get(passphraseFile)), StandardCharsets.UTF_8).strip().toCharArray()
                : session.readLine("Master-key passphrase: ", '*').toCharArray();
        if (init) {
            unsealer.initialize(passphrase);
        } else {
            unsealer.unseal(passphrase);
        }
        System.out.println("Vault " + (vault.status().sealed() ? "still SEALED: " : "UNSEALED: ") + vault.status().detail());
    }
}
