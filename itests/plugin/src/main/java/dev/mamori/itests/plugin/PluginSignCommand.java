package dev.mamori.itests.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.DeclaresSigningPurposes;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;

/**
 * mamori:it-plugin-sign: a plugin signs a note with a vault signing key of the purpose it declares
 * (the annotation below puts {@code mamori.vault.signing;purpose=it-plugin.note} into its manifest),
 * and prints the signature and the public key of the version that made it.
 */
@Service
@Command(scope = "mamori", name = "it-plugin-sign", description = "Signs a text with the tenant's (or the platform's) "
        + "it-plugin.note key (test plugin).")
@DeclaresSigningPurposes(PluginSignCommand.PURPOSE)
public class PluginSignCommand extends MamoriAction {
    /** The one signing purpose this plugin declares. */
    static final String PURPOSE = "it-plugin.note";
    static final SigningPurpose NOTE = SigningPurpose.of(PURPOSE);

    @Reference
    TenantContext tenants;
    @Reference
    VaultSigner signer;

    @Option(name = "--purpose", description = "Another purpose (refused: the plugin does not declare it)")
    String purpose = PURPOSE;
    @Argument(index = 0, name = "owner", required = true, description = "Tenant slug or id, or 'platform' for the platform's key")
    String tenant;
    @Argument(index = 1, name = "text", required = true, description = "Text to sign")
    String text;

    @Override
    protected void run() {
        SigningPurpose p = SigningPurpose.of(purpose);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        String[] out = VaultSigner.PLATFORM.equals(tenant) ? sign(VaultSigner.PLATFORM, p, message)
                : tenants.callAs(tenant, () -> sign(tenants.requireTenantId(), p, message));
        System.out.println("signature " + out[0]);
        System.out.println("public " + out[1]);
    }

    private String[] sign(String owner, SigningPurpose p, byte[] message) {
        VaultSignature s = signer.sign(owner, p, message);
        SigningPublicKey key = signer.publicKeys(owner, p).stream().filter(k -> k.version() == s.version()).findFirst().orElseThrow();
        return new String[] {s.keyId() + " " + s.version() + " " + Base64.getEncoder().encodeToString(s.signature()),
            Base64.getEncoder().encodeToString(key.publicKey())};
    }
}
