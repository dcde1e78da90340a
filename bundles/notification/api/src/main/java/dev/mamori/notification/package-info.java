/**
 * Notifications (NTF-1..3, SEC-5, SEC-8): an outbox written in the sender's unit of work and
 * delivered by a job over channels (e-mail over SMTP, in-app notices) with retries, a delivery log
 * per recipient, and incidents whose obligation clocks say when each affected tenant must be told
 * (72 hours from discovery) and when the next progress update is due (every 24 hours until the
 * response is finished).
 */
@Export
@Version("1.1.0")
package dev.mamori.notification;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
