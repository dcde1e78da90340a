/**
 * Who is acting: the one immutable {@link dev.mamori.platform.context.ExecutionContext} per call
 * (principal, tenant, request id, client address, purpose), bound by the adapters and read by
 * every capability.
 */
@Export
@Version("1.1.0")
package dev.mamori.platform.context;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
