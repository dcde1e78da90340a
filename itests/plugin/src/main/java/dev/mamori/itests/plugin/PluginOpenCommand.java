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

/** mamori:it-plugin-open: decrypts a blob of {@code it-plugin-seal} through the vault. */
@Service
@Command(scope = "mamori", name = "it-plugin-open", description = "Decrypts a blob of it-plugin-seal (test plugin).")
public class PluginOpenCommand extends MamoriAction {
    @Reference
    TenantContext tenants;
    @Reference
    VaultService vault;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id")
    String tenant;
    @Argument(index = 1, name = "blob", required = true, description = "Base64 blob")
    String blob;

    @Override
    protected void run() {
        byte[] plain = tenants.callAs(tenant, () -> vault.decrypt(ExecutionContext.require().tenantId().orElseThrow(),
                KeyPurpose.RECORDS, Base64.getDecoder().decode(blob), PluginSealCommand.AAD));
        System.out.println("text " + new String(plain, StandardCharsets.UTF_8));
    }
}
