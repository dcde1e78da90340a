package dev.mamori.vault.internal.shell;

import java.time.Clock;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.shell.spi.Format;
import dev.mamori.vault.SigningPublicKey;

/** mamori:vault-signing-keys */
@Service
@Command(scope = "mamori", name = "vault-signing-keys",
        description = "Lists a tenant's (or the platform's) signing key versions that still verify, with their raw Ed25519 "
                + "public keys (Base64, 32 bytes) and validity; never a private key. --note-name adds each key's C2SP "
                + "signed-note verifier key under that name, for verifying checkpoints offline.")
public class VaultSigningKeysCommand extends SigningOwnerAction {
    @Reference
    Clock clock;

    @Option(name = "--purpose", description = "Only this purpose, e.g. audit.checkpoint.")
    String purpose;

    @Option(name = "--note-name", description = "Key name of the signed notes (e.g. mamori.example/audit): prints the "
            + "verifier key name+keyhash+base64(0x01||public key) of each version.")
    String noteName;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Purpose");
        table.column("Key");
        table.column("Version");
        table.column("State");
        table.column("Valid from");
        table.column("Valid until");
        table.column(noteName == null ? "Public key (Ed25519)" : "Verifier key");
        for (SigningPublicKey k : vault.signingKeys(owner())) {
            if (purpose != null && !k.purpose().id().equals(purpose)) {
                continue;
            }
            table.addRow().addContent(k.purpose().id(), k.keyId(), k.version(), k.state(), Format.time(k.validFrom(), clock),
                    k.validUntil().map(t -> Format.time(t, clock)).orElse(""), noteName == null
                            ? Base64.getEncoder().encodeToString(k.publicKey()) : k.noteVerifierKey(noteName));
        }
        table.print(System.out);
    }
}
