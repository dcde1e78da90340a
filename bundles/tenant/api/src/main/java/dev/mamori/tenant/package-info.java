/**
 * Tenants (customer companies), their lifecycle (TEN-2..TEN-5, TEN-8) and the tenant context
 * that scopes every access to tenant data (TEN-1).
 */
@Export
@Version("4.1.0")
package dev.mamori.tenant;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
