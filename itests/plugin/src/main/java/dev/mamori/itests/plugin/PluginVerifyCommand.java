package dev.mamori.itests.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;

/** mamori:it-plugin-verify: checks a signature of {@code it-plugin-sign} through the vault. */
@Service
@Command(scope = "mamori", name = "it-plugin-verify", description = "Verifies a signature of it-plugin-sign (test plugin).")
public class PluginVerifyCommand extends MamoriAction {
    @Reference
    TenantContext tenants;
    @Reference
    VaultSigner signer;

    @Argument(index = 0, name = "owner", required = true, description = "Tenant slug or id, or 'platform' for the platform's key")
    String tenant;
    @Argument(index = 1, name = "text", required = true, description = "Signed text")
    String text;
    @Argument(index = 2, name = "keyId", required = true, description = "Key id")
    String keyId;
    @Argument(index = 3, name = "version", required = true, description = "Key version")
    int version;
    @Argument(index = 4, name = "signature", required = true, description = "Base64 signature")
    String signature;

    @Override
    protected void run() {
        VaultSignature s = new VaultSignature(keyId, version, Base64.getDecoder().decode(signature));
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        boolean ok = VaultSigner.PLATFORM.equals(tenant) ? signer.verify(VaultSigner.PLATFORM, PluginSignCommand.NOTE, message, s)
                : tenants.callAs(tenant, () -> signer.verify(tenants.requireTenantId(), PluginSignCommand.NOTE, message, s));
        System.out.println(ok ? "valid" : "invalid");
    }
}
