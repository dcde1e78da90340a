/**
 * Persistence support shared by capability bundles: schema migrations applied at bundle start
 * (manifest header {@value dev.mamori.platform.db.SchemaReady#HEADER}, then a
 * {@link dev.mamori.platform.db.SchemaReady} service), the unit of work every transaction joins
 * ({@link dev.mamori.platform.db.UnitOfWork}, over {@link dev.mamori.platform.db.UnitDataSource}),
 * one transaction helper and the converters.
 */
@Export
@Version("2.3.0")
package dev.mamori.platform.db;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
