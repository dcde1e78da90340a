/**
 * The crypto vault (CRY-2..CRY-5): envelope encryption of data at rest under per-tenant data
 * keys (DEKs) that are stored only wrapped by a master key (KEK). This package holds the
 * vocabulary shared by the vault and its callers: the key purposes and the typed errors.
 */
@Export
@Version("3.1.0")
package dev.mamori.vault;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
