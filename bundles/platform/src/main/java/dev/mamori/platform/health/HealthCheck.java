package dev.mamori.platform.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One readiness check (a database, the key vault, …). Whiteboard: register as a service.
 * Implementations answer quickly (well under a second) and never throw.
 */
@ConsumerType
public interface HealthCheck {
    /** @return short, stable name shown in the health report, e.g. {@code database} */
    String name();

    /** @return the current state */
    HealthStatus check();
}
