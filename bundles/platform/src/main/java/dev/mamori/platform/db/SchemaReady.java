package dev.mamori.platform.db;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the platform, for a bundle's schema, once that schema's migrations have been
 * applied to its DataSource. A bundle declares its schemas in the manifest header
 * {@value #HEADER}; components that use EntityManagers reference this service with a target on
 * {@value #NAME}, so they start only on a migrated schema, and stop when the DataSource goes.
 *
 * <pre>
 * Mamori-Schema: tenant;datasource=mamori;location=dev/mamori/tenant/db
 * </pre>
 *
 * Each schema keeps its own Flyway history table, {@code mamori_schema_<name>} ('-' becomes '_').
 */
@ProviderType
public interface SchemaReady {
    /** Manifest header listing a bundle's schemas: {@code name;datasource=<jndi name>;location=<folder>}, comma-separated. */
    String HEADER = "Mamori-Schema";
    /** Service property: the schema name, e.g. {@code tenant}. */
    String NAME = "mamori.schema";
    /** Service property: the {@code osgi.jndi.service.name} of the DataSource it was applied to. */
    String DATASOURCE = "mamori.schema.datasource";
    /** Service property: the symbolic name of the bundle that declared it. */
    String BUNDLE = "mamori.schema.bundle";

    /** @return the schema name */
    String name();

    /** @return the DataSource's {@code osgi.jndi.service.name} */
    String dataSourceName();

    /** @return the version of the newest applied migration, e.g. {@code 4} */
    String version();
}
