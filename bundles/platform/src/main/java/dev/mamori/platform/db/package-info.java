/**
 * Database helpers shared by capability bundles: versioned schema migrations per bundle.
 */
@Export
@Version("1.0.0")
package dev.mamori.platform.db;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
