package dev.mamori.platform.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthService;
import dev.mamori.platform.health.HealthStatus;

/** Every registered check, plus the required ones that must be registered at all. */
@Component(service = HealthService.class, configurationPid = HealthServiceImpl.PID)
@Designate(ocd = HealthServiceImpl.Config.class)
public class HealthServiceImpl implements HealthService {
    static final String PID = "dev.mamori.health";

    /** Health configuration (PID dev.mamori.health). */
    @ObjectClassDefinition(name = "Mamori health", description = "Which health checks must exist for the server to be ready.")
    public @interface Config {
        /** @return names */
        @AttributeDefinition(description = "Checks that must be registered; one that is missing (its bundle stopped or "
                + "being updated) makes the server not ready.")
        String[] required() default {"database", "pii-database", "schema"};
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private volatile Set<String> required;

    /** @param config configuration */
    @Activate
    public HealthServiceImpl(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        required = names(config.required());
    }

    /** A .cfg file has no arrays: {@code a,b,c} arrives as one value. */
    static Set<String> names(String[] values) {
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            if (v != null) {
                for (String n : v.split(",")) {
                    if (!n.isBlank()) {
                        out.add(n.trim());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public HealthReport report() {
        return report(new ArrayList<>(checks), required);
    }

    static HealthReport report(List<HealthCheck> checks, Set<String> required) {
        Map<String, HealthStatus> out = new LinkedHashMap<>();
        boolean ready = !checks.isEmpty() || !required.isEmpty();
        for (HealthCheck c : checks) {
            HealthStatus s;
            try {
                s = c.check();
            } catch (RuntimeException e) {
                s = HealthStatus.down("check failed");
            }
            if (s == null) {
                s = HealthStatus.down("check failed");
            }
            String name = c.name();
            HealthStatus earlier = out.get(name);
            // two checks of one name (a bundle being swapped): both must be up
            if (earlier == null || earlier.isUp()) {
                out.put(name, s);
            }
            ready &= s.isUp();
        }
        for (String name : required) {
            if (!out.containsKey(name)) {
                out.put(name, HealthStatus.down("not registered"));
                ready = false;
            }
        }
        return new HealthReport(ready && !out.isEmpty(), out);
    }
}
