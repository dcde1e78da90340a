/**
 * Extension points of the vault: {@link dev.mamori.vault.spi.KeyProvider}, through which the
 * master key (KEK) is reached. The default provider keeps KEKs in a passphrase-protected
 * keystore file; an HSM (PKCS#11) or a cloud KMS plugs in as another provider without any change
 * to the vault, because the KEK never has to leave the provider.
 */
@Export
@Version("2.0.0")
package dev.mamori.vault.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
