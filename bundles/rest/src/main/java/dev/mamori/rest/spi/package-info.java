/**
 * What capability bundles need to plug REST resources into the one Mamori API server:
 * register a JAX-RS resource object as a service with {@code osgi.jaxrs.resource=true}.
 */
@Export
@Version("1.0.0")
package dev.mamori.rest.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
