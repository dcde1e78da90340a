package dev.mamori.platform.internal;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.platform.health.HealthCheck;

/** Health of DataSource {@code mamori}; reported as {@code database}. */
@Component(service = HealthCheck.class)
public class MainDataSourceHealth extends DataSourceHealth {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(osgi.jndi.service.name=mamori)")
    volatile DataSource dataSource;

    /** Creates the check. */
    public MainDataSourceHealth() {
        super("database");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }
}
