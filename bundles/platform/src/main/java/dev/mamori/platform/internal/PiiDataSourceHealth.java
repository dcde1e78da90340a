package dev.mamori.platform.internal;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.mamori.platform.health.HealthCheck;

/** Health of DataSource {@code mamori-pii}; reported as {@code pii-database}. */
@Component(service = HealthCheck.class)
public class PiiDataSourceHealth extends DataSourceHealth {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(osgi.jndi.service.name=mamori-pii)")
    volatile DataSource dataSource;

    /** Creates the check. */
    public PiiDataSourceHealth() {
        super("pii-database");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }
}
