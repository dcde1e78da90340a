/**
 * Extension points of the tenant capability: listeners for lifecycle transitions.
 */
@Export
@Version("1.0.0")
package dev.mamori.tenant.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
