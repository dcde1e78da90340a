package dev.mamori.itests.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;

/** mamori:it-plugin-seal: a plugin keeps a tenant's text encrypted by the vault, and prints the blob. */
@Service
@Command(scope = "mamori", name = "it-plugin-seal", description = "Encrypts a text under the tenant's RECORDS key (test plugin).")
public class PluginSealCommand extends MamoriAction {
    /** What the plugin binds its blobs to. */
    static final byte[] AAD = "it-plugin/note".getBytes(StandardCharsets.UTF_8);

    @Reference
    TenantContext tenants;
    @Reference
    VaultService vault;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id")
    String tenant;
    @Argument(index = 1, name = "text", required = true, description = "Text to encrypt")
    String text;

    @Override
    protected void run() {
        byte[] blob = tenants.callAs(tenant, () -> vault.encrypt(ExecutionContext.require().tenantId().orElseThrow(),
                KeyPurpose.RECORDS, text.getBytes(StandardCharsets.UTF_8), AAD));
        System.out.println("blob " + Base64.getEncoder().encodeToString(blob));
    }
}
