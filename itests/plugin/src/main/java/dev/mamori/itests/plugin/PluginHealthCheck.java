package dev.mamori.itests.plugin;

import org.osgi.service.component.annotations.Component;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/** The plugin's health check. */
@Component(service = HealthCheck.class)
public class PluginHealthCheck implements HealthCheck {
    @Override
    public String name() {
        return "it-plugin";
    }

    @Override
    public HealthStatus check() {
        return HealthStatus.up("plugin running");
    }
}
