/**
 * Plugin interfaces of the auth capability: scope rules for permissions and second factors.
 */
@Export
@Version("1.1.0")
package dev.mamori.auth.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
