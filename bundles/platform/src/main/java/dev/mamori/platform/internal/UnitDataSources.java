package dev.mamori.platform.internal;

import java.util.Hashtable;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.db.UnitDataSource;

/**
 * Registers the two stores as persistence units see them ({@link UnitDataSource}: the unit's
 * connection inside a unit of work), over the pooled DataSources pax-jdbc makes from
 * {@code org.ops4j.datasource-mamori*.cfg}. Both come and go with those.
 */
@Component(immediate = true)
public class UnitDataSources {
    private final ServiceRegistration<DataSource> main;
    private final ServiceRegistration<DataSource> pii;

    /**
     * @param context  where to register
     * @param mainPool the main store's pool
     * @param piiPool  the PII store's pool
     */
    @Activate
    public UnitDataSources(BundleContext context,
            @Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.MAIN_STORE + ")") DataSource mainPool,
            @Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.PII_STORE + ")") DataSource piiPool) {
        main = context.registerService(DataSource.class, new UnitDataSource(UnitDataSource.MAIN_STORE, mainPool),
                properties(UnitDataSource.MAIN_JNDI_NAME));
        pii = context.registerService(DataSource.class, new UnitDataSource(UnitDataSource.PII_STORE, piiPool),
                properties(UnitDataSource.PII_JNDI_NAME));
    }

    private static Hashtable<String, Object> properties(String name) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.jndi.service.name", name);
        p.put("mamori.unit.datasource", Boolean.TRUE);
        return p;
    }

    @Deactivate
    void stop() {
        pii.unregister();
        main.unregister();
    }
}
