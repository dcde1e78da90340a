package dev.mamori.platform.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs every registered {@link HealthCheck} and the configuration's list of required checks
 * (PID {@code dev.mamori.health}, {@code required}): a required check that is missing, for
 * example because its bundle is being updated, makes the server not ready.
 */
@ProviderType
public interface HealthService {
    /** @return the current report */
    HealthReport report();
}
