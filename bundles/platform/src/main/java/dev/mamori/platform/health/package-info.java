/**
 * Health checks: any bundle registers a {@link dev.mamori.platform.health.HealthCheck} and
 * {@code GET /api/v1/health} reports it; a failing check makes the server not ready.
 */
@Export
@Version("1.0.0")
package dev.mamori.platform.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
