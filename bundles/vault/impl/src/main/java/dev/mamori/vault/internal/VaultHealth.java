package dev.mamori.vault.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.VaultStatus;

/**
 * Health check {@code vault}: DOWN while sealed. It exists only while the vault service does; the
 * platform's list of required checks turns its absence (vault stopped or being swapped) into "not ready".
 */
@Component(service = HealthCheck.class)
public class VaultHealth implements HealthCheck {
    private final VaultService vault;

    /** @param vault the vault */
    @Activate
    public VaultHealth(@Reference VaultService vault) {
        this.vault = vault;
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public HealthStatus check() {
        VaultStatus s = vault.status();
        return s.sealed() ? HealthStatus.down("sealed: " + s.detail()) : HealthStatus.up("unsealed");
    }
}
