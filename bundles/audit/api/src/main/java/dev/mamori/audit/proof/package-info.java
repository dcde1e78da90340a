/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs, C2SP checkpoints and
 * signed notes, the verifier that checks every entry of a log against them, and the log export
 * format with its offline verifier, with no dependency but the JDK: what the audit log computes
 * and what anyone verifies, with or without Mamori.
 */
@Export
@Version("1.1.0")
package dev.mamori.audit.proof;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
