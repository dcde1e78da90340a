/**
 * What a bundle needs to bring its own operator commands: the {@link dev.mamori.shell.spi.MamoriAction}
 * base class (execution context with the operator and the SSH client address, every command
 * recorded as {@link dev.mamori.shell.spi.ShellEvents}, one-line errors),
 * formatting helpers, and the one completer of tenants ({@link dev.mamori.shell.spi.TenantCompleter},
 * fed through the {@link dev.mamori.shell.spi.CompletionSource} whiteboard).
 */
@Export
@Version("1.4.0")
package dev.mamori.shell.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
