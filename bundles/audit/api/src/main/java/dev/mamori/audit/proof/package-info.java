/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing and proofs, with no dependency but
 * the JDK: what the audit log computes and what anyone verifies, with or without Mamori.
 */
@Export
@Version("1.0.0")
package dev.mamori.audit.proof;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
