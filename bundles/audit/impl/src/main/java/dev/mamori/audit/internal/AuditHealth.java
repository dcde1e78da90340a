package dev.mamori.audit.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/**
 * Health check {@code audit}: down while the audit tables cannot be read (every action would be
 * refused anyway) or while a sink fails to keep checkpoints (the log's tail is then provable from
 * the database alone, which AUD-3 does not accept for long).
 */
@Component(service = HealthCheck.class)
public class AuditHealth implements HealthCheck {
    private final AuditEngine engine;

    /** @param engine the log machinery */
    @Activate
    public AuditHealth(@Reference AuditEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public HealthStatus check() {
        long pending;
        try {
            pending = engine.store.read(c -> {
                try (var ps = c.prepareStatement("SELECT COUNT(*) FROM mamori_audit_pending"); var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        } catch (RuntimeException e) {
            return HealthStatus.down("audit store unreachable");
        }
        Map<String, String> failed = engine.checkpointer.failedSinks();
        if (!failed.isEmpty()) {
            return HealthStatus.down("audit sink failing: " + String.join(", ", failed.keySet().stream().map(k -> k.replaceAll("#.*", "")).toList()));
        }
        return HealthStatus.up(pending + " event(s) awaiting integration");
    }
}
