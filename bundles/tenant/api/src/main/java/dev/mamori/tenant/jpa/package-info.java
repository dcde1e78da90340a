/**
 * Tenant-scoped persistence for capability bundles: EclipseLink multitenancy bound to the
 * {@link dev.mamori.tenant.TenantContext}, failing closed when no tenant is in context.
 */
@Export
@Version("1.1.0")
package dev.mamori.tenant.jpa;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
