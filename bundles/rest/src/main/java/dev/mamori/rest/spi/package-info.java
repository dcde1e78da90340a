/**
 * What capability bundles need to plug into the one Mamori API server: JAX-RS resources,
 * providers and filters in named slots, registered as OSGi services with the properties of
 * {@link dev.mamori.rest.spi.RestConstants}; the error kinds a resource method answers with
 * ({@link dev.mamori.rest.spi.ProblemResponses}), documented by the server; and the REST security
 * contract a resource declares and the slot filters enforce: {@link dev.mamori.rest.spi.RequiresPermission},
 * {@link dev.mamori.rest.spi.Anonymous}, {@link dev.mamori.rest.spi.SignInStep},
 * {@link dev.mamori.rest.spi.BodyLimit}.
 */
@Export
@Version("2.3.0")
package dev.mamori.rest.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
