/**
 * The tamper-evident audit log (AUD-1..6): one append-only RFC 9162 Merkle log per tenant and one
 * for the platform, every {@link dev.mamori.platform.event.MamoriEvent} recorded in the action's
 * unit of work, signed checkpoints, proofs, verification, export — and the {@link AuditSink} SPI
 * that carries checkpoints out of the database.
 */
@Export
@Version("1.1.0")
package dev.mamori.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
