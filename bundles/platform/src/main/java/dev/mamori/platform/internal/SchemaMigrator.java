package dev.mamori.platform.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/**
 * The schema extender: for every started bundle whose manifest declares {@value SchemaReady#HEADER},
 * applies its migrations to the named DataSource as soon as both are there, then registers a
 * {@link SchemaReady} service in that bundle's name. When the DataSource goes (reconfigured, e.g.
 * switched to PostgreSQL) the service goes, and comes back once the new one is migrated. Reported
 * as health check {@code schema}: a declared schema that is not migrated makes the server not ready.
 */
@Component(immediate = true, service = HealthCheck.class)
public class SchemaMigrator implements HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");
    static final String JNDI = "osgi.jndi.service.name";

    /** One declared schema of one bundle. */
    static final class Declared {
        final Bundle bundle;
        final String name;
        final String dataSource;
        final String location;
        ServiceRegistration<SchemaReady> registration;
        ServiceReference<DataSource> migratedOn;
        String problem;

        Declared(Bundle bundle, String name, String dataSource, String location) {
            this.bundle = bundle;
            this.name = name;
            this.dataSource = dataSource;
            this.location = location;
        }

        String historyTable() {
            return "mamori_schema_" + name.replace('-', '_');
        }
    }

    /** Every change runs on this one thread, in order: no lock is held while services (de)register. */
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mamori-schema");
        t.setDaemon(true);
        return t;
    });
    private volatile List<String> notReady = List.of();
    private final Map<Bundle, List<Declared>> declared = new LinkedHashMap<>();
    private final Map<String, ServiceReference<DataSource>> dataSources = new HashMap<>();
    private final BundleContext context;
    private final BundleTracker<List<Declared>> bundles;
    private final ServiceTracker<DataSource, ServiceReference<DataSource>> sources;

    /** @param context the platform bundle's context */
    @Activate
    public SchemaMigrator(BundleContext context) {
        this.context = context;
        sources = new ServiceTracker<>(context, DataSource.class, null) {
            @Override
            public ServiceReference<DataSource> addingService(ServiceReference<DataSource> ref) {
                Object name = ref.getProperty(JNDI);
                if (name == null) {
                    return null;
                }
                worker.execute(() -> dataSourceAdded(name.toString(), ref));
                return ref;
            }

            @Override
            public void removedService(ServiceReference<DataSource> ref, ServiceReference<DataSource> same) {
                worker.execute(() -> dataSourceRemoved(String.valueOf(ref.getProperty(JNDI)), ref));
            }
        };
        bundles = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public List<Declared> addingBundle(Bundle bundle, BundleEvent event) {
                List<Declared> schemas = parse(bundle);
                if (schemas.isEmpty()) {
                    return null;
                }
                worker.execute(() -> bundleAdded(bundle, schemas));
                return schemas;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<Declared> schemas) {
                worker.execute(() -> bundleRemoved(bundle));
            }
        };
        sources.open();
        bundles.open();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        bundles.close();
        sources.close();
        worker.execute(() -> {
            declared.values().forEach(list -> list.forEach(SchemaMigrator::withdraw));
            declared.clear();
        });
        worker.shutdown();
        worker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Recomputes what the health check reports; on the worker thread, after each change. */
    private void summarize() {
        List<String> out = new ArrayList<>();
        for (List<Declared> list : declared.values()) {
            for (Declared d : list) {
                if (d.registration == null) {
                    out.add(d.name + (d.problem != null ? " (" + d.problem + ")" : " (waiting for DataSource " + d.dataSource + ")"));
                }
            }
        }
        notReady = List.copyOf(out);
    }

    static List<Declared> parse(Bundle bundle) {
        String header = bundle.getHeaders("").get(SchemaReady.HEADER);
        List<Declared> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String clause : header.split(",")) {
            String[] parts = clause.trim().split(";");
            String name = parts[0].trim();
            Map<String, String> attrs = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2) {
                    attrs.put(kv[0].trim(), kv[1].trim().replace("\"", ""));
                }
            }
            String ds = attrs.get("datasource");
            String location = attrs.get("location");
            if (!NAME.matcher(name).matches() || ds == null || location == null) {
                LOG.error("Bundle {} declares an invalid schema '{}' ({} needs name;datasource=..;location=..); ignored",
                        bundle.getSymbolicName(), clause.trim(), SchemaReady.HEADER);
                continue;
            }
            out.add(new Declared(bundle, name, ds, location));
        }
        return out;
    }

    private void bundleAdded(Bundle bundle, List<Declared> schemas) {
        declared.put(bundle, schemas);
        for (Declared d : schemas) {
            ServiceReference<DataSource> ref = dataSources.get(d.dataSource);
            if (ref != null) {
                migrate(d, ref);
            }
        }
        summarize();
    }

    private void bundleRemoved(Bundle bundle) {
        List<Declared> schemas = declared.remove(bundle);
        if (schemas != null) {
            schemas.forEach(SchemaMigrator::withdraw);
        }
        summarize();
    }

    private void dataSourceAdded(String name, ServiceReference<DataSource> ref) {
        ServiceReference<DataSource> before = dataSources.get(name);
        if (before != null && before.compareTo(ref) >= 0) {
            return;
        }
        dataSources.put(name, ref);
        for (List<Declared> list : declared.values()) {
            for (Declared d : list) {
                if (d.dataSource.equals(name)) {
                    withdraw(d);
                    migrate(d, ref);
                }
            }
        }
        summarize();
    }

    private void dataSourceRemoved(String name, ServiceReference<DataSource> ref) {
        if (!ref.equals(dataSources.get(name))) {
            return;
        }
        dataSources.remove(name);
        ServiceReference<DataSource> next = null;
        for (ServiceReference<DataSource> other : sources.getTracked().keySet()) {
            if (!other.equals(ref) && name.equals(String.valueOf(other.getProperty(JNDI)))
                    && (next == null || other.compareTo(next) > 0)) {
                next = other;
            }
        }
        for (List<Declared> list : declared.values()) {
            for (Declared d : list) {
                if (d.dataSource.equals(name)) {
                    withdraw(d);
                    d.problem = null;
                }
            }
        }
        if (next != null) {
            dataSourceAdded(name, next);
        }
        summarize();
    }

    /** On the worker thread. */
    private void migrate(Declared d, ServiceReference<DataSource> ref) {
        DataSource ds = context.getService(ref);
        if (ds == null) {
            return;
        }
        Migrations.Result result;
        try {
            result = Migrations.migrate(ds, d.bundle, d.location, d.historyTable());
        } catch (RuntimeException e) {
            d.problem = "migration failed";
            LOG.error("Schema {} of {} could not be migrated on DataSource {}; its components stay stopped: {}", d.name,
                    d.bundle.getSymbolicName(), d.dataSource, e.getMessage(), e);
            return;
        } finally {
            context.ungetService(ref);
        }
        if (result.applied() > 0) {
            LOG.info("Schema {} of {}: {} migration(s) applied on {}, now at version {}", d.name,
                    d.bundle.getSymbolicName(), result.applied(), d.dataSource, result.version());
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SchemaReady.NAME, d.name);
        props.put(SchemaReady.DATASOURCE, d.dataSource);
        props.put(SchemaReady.BUNDLE, d.bundle.getSymbolicName());
        try {
            BundleContext owner = d.bundle.getBundleContext();
            if (owner == null) {
                d.problem = "bundle not started";
                return;
            }
            // in the declaring bundle's name: the framework withdraws it when that bundle stops
            d.registration = owner.registerService(SchemaReady.class, new Ready(d.name, d.dataSource, result.version()), props);
            d.migratedOn = ref;
            d.problem = null;
        } catch (IllegalStateException stopping) {
            d.problem = "bundle stopping";
        }
    }

    private static void withdraw(Declared d) {
        if (d.registration != null) {
            try {
                d.registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the owning bundle stopped first
            }
            d.registration = null;
            d.migratedOn = null;
        }
    }

    @Override
    public String name() {
        return "schema";
    }

    @Override
    public HealthStatus check() {
        List<String> notReady = this.notReady;
        return notReady.isEmpty() ? HealthStatus.up("migrated") : HealthStatus.down("not ready: " + String.join(", ", notReady));
    }

    /** The registered marker. */
    private record Ready(String name, String dataSourceName, String version) implements SchemaReady {
    }
}
