/**
 * What a delivery channel implements ({@link dev.mamori.notification.spi.NotificationChannel}):
 * first-party e-mail and in-app channels, and any a plugin adds (e.g. a signed webhook).
 */
@Export
@Version("1.0.0")
package dev.mamori.notification.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
