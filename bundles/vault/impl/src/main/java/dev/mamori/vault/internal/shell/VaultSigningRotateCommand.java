package dev.mamori.vault.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;

/** mamori:vault-signing-rotate */
@Service
@Command(scope = "mamori", name = "vault-signing-rotate",
        description = "New signing key version for a tenant (or the platform) and purpose: new signatures use it; older "
                + "versions keep verifying and stay listed by vault-signing-keys. Only shredding the tenant destroys them.")
public class VaultSigningRotateCommand extends SigningOwnerAction {
    @Option(name = "--purpose", required = true, description = "The signing purpose, e.g. audit.checkpoint.")
    String purpose;

    @Override
    protected void run() {
        SigningPublicKey k = vault.rotateSigningKey(owner(), SigningPurpose.of(purpose));
        System.out.println((platform ? "Platform" : "Tenant " + tenant) + " " + k.purpose().id() + " signing key " + k.keyId()
                + " is now at version " + k.version() + "; earlier versions keep verifying.");
    }
}
