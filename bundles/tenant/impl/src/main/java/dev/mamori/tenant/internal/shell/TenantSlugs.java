package dev.mamori.tenant.internal.shell;

import java.util.Collection;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.shell.spi.CompletionSource;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/**
 * The tenants' slugs for the shell SPI's one {@code TenantCompleter}, which the commands of every
 * bundle use: the tenant capability owns the values, the shell imports no capability.
 */
@Component(service = CompletionSource.class, property = CompletionSource.KIND + "=" + CompletionSource.TENANT)
public class TenantSlugs implements CompletionSource {
    private final TenantService tenants;

    /** @param tenants whose visibility rules apply (no context: no deleted or purged tenant) */
    @Activate
    public TenantSlugs(@Reference TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public Collection<String> values() {
        return tenants.list().stream().map(Tenant::slug).collect(Collectors.toList());
    }
}
