/**
 * Helpers for reading configuration the way Karaf writes it.
 */
@Export
@Version("1.0.0")
package dev.mamori.platform.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
