/**
 * Identities, sign-in, sessions, multi-factor authentication and permissions (IAM-1..14,
 * OPS-1..3, SEC-4, SEC-6, SEC-11, SEC-12).
 */
@Export
@Version("2.3.0")
package dev.mamori.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
