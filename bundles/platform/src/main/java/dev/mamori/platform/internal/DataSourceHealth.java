package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/**
 * Readiness of one DataSource: present and handing out valid connections. One check per factory
 * configuration of {@value #FACTORY_PID}; the platform feature ships two, {@code database} for the
 * DataSource {@code mamori} and {@code pii-database} for {@code mamori-pii} (CRY-4), both required
 * in {@code dev.mamori.health}: a configuration that goes missing leaves its check unregistered,
 * and the server not ready.
 */
@Component(service = HealthCheck.class, configurationPid = DataSourceHealth.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DataSourceHealth.Config.class, factory = true)
public class DataSourceHealth implements HealthCheck {
    /** Factory PID: one configuration per DataSource. */
    static final String FACTORY_PID = "dev.mamori.health.datasource";

    /** One DataSource's check (factory PID dev.mamori.health.datasource). */
    @ObjectClassDefinition(name = "Mamori DataSource health", description = "A readiness check of one DataSource (OPS-5).")
    @interface Config {
        /** @return the check's name in the health report */
        @AttributeDefinition(description = "Name of the check in the health report and in dev.mamori.health required, "
                + "e.g. database.")
        String name();

        /** @return which DataSource: the reference's target filter */
        @AttributeDefinition(name = "DataSource", description = "Filter selecting the DataSource service, e.g. "
                + "(osgi.jndi.service.name=mamori).")
        String dataSource_target();
    }

    private final String name;

    // optional and dynamic: a DataSource rebuilt by pax-jdbc is DOWN meanwhile, never a missing check;
    // the filter comes from the configuration (dataSource.target)
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DataSource dataSource;

    /**
     * @param config which DataSource, under which name
     */
    @Activate
    public DataSourceHealth(Config config) {
        this(config.name(), config.dataSource_target());
    }

    DataSourceHealth(String name, String target) {
        // fail closed: without a filter the reference would take any DataSource and report on the wrong one
        if (name == null || name.isBlank() || target == null || target.isBlank()) {
            throw new IllegalArgumentException(FACTORY_PID + " needs name and dataSource.target");
        }
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthStatus check() {
        DataSource ds = dataSource;
        if (ds == null) {
            return HealthStatus.down("DataSource not registered");
        }
        try (Connection c = ds.getConnection()) {
            return c.isValid(2) ? HealthStatus.up("connection valid") : HealthStatus.down("connection invalid");
        } catch (SQLException | RuntimeException e) {
            return HealthStatus.down("no connection");
        }
    }
}
