/**
 * One event model for every capability: {@link dev.mamori.platform.event.MamoriEvent}, published
 * through {@link dev.mamori.platform.event.EventPublisher} to
 * {@link dev.mamori.platform.event.MamoriEventListener}s, in the publisher's unit of work, so that a
 * required listener (the audit trail) can make the action fail; types declared once as
 * {@link dev.mamori.platform.event.EventType}s with their detail keys; the canonical byte form
 * {@link dev.mamori.platform.event.EventEncoding} that the audit log hashes.
 */
@Export
@Version("2.2.0")
package dev.mamori.platform.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
