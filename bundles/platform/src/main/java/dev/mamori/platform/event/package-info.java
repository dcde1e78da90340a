/**
 * One event model for every capability: {@link dev.mamori.platform.event.MamoriEvent}, published
 * through {@link dev.mamori.platform.event.EventPublisher} to
 * {@link dev.mamori.platform.event.MamoriEventListener}s, synchronously, so that a required
 * listener (the audit trail) can make the action fail.
 */
@Export
@Version("1.1.0")
package dev.mamori.platform.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
