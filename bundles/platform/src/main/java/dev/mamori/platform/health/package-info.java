/**
 * Health checks: any bundle registers a {@link dev.mamori.platform.health.HealthCheck};
 * {@link dev.mamori.platform.health.HealthService} aggregates them with the configured list of
 * required checks, and {@code GET /api/v1/health} reports it.
 */
@Export
@Version("1.1.0")
package dev.mamori.platform.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
