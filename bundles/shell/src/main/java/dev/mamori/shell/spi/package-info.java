/**
 * What a bundle needs to bring its own operator commands: the {@link dev.mamori.shell.spi.MamoriAction}
 * base class (execution context with the operator and the SSH client address, one-line errors) and
 * formatting helpers.
 */
@Export
@Version("1.2.0")
package dev.mamori.shell.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
