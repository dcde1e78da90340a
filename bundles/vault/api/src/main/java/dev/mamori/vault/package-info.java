/**
 * The crypto vault (CRY-2..CRY-5): envelope encryption of data at rest under per-tenant data
 * keys (DEKs) that are stored only wrapped by a master key (KEK). This package holds the
 * vocabulary shared by the vault and its callers: the key purposes and the typed errors, and
 * {@link dev.mamori.vault.VaultSigner}: Ed25519 signing keys for purposes a capability declares.
 */
@Export
@Version("4.0.0")
package dev.mamori.vault;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
