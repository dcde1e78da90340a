package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthService;
import dev.mamori.platform.health.HealthStatus;

class HealthResourceTest {

    static HealthService service(boolean ready, Map<String, HealthStatus> checks) {
        return () -> new HealthReport(ready, checks);
    }

    @Test
    @DisplayName("OPS-5: the report is the platform health service's: ready and UP, every check listed")
    void ready() {
        HealthResource.Report r = HealthResource.report(service(true, Map.of("database", HealthStatus.up("connection valid"),
                "pii-database", HealthStatus.up("connection valid"))));
        assertTrue(r.ready);
        assertTrue(r.live);
        assertEquals("UP", r.status);
        assertEquals("UP", r.checks.get("database").status);
        assertEquals("connection valid", r.checks.get("pii-database").detail);
    }

    @Test
    @DisplayName("OPS-5: a missing required check (DOWN \"not registered\" from the platform) makes the server not ready")
    void requiredMissing() {
        HealthResource.Report r = HealthResource.report(service(false, Map.of("database", HealthStatus.up("ok"),
                "vault", HealthStatus.down("not registered"))));
        assertFalse(r.ready);
        assertTrue(r.live);
        assertEquals("DOWN", r.status);
        assertEquals("UP", r.checks.get("database").status);
        assertEquals("DOWN", r.checks.get("vault").status);
        assertEquals("not registered", r.checks.get("vault").detail);
    }

    @Test
    @DisplayName("OPS-5: without the platform health service the server is live but not ready (fail closed)")
    void noService() {
        HealthResource.Report r = HealthResource.report(null);
        assertTrue(r.live);
        assertFalse(r.ready);
        assertEquals("DOWN", r.checks.get(HealthResource.SERVICE_CHECK).status);
        assertEquals("not registered", r.checks.get(HealthResource.SERVICE_CHECK).detail);
    }

    @Test
    @DisplayName("OPS-5: a failing health service counts as not ready and its exception text is not exposed")
    void failingService() {
        HealthResource.Report r = HealthResource.report(() -> {
            throw new IllegalStateException("jdbc:postgresql://db.internal:5432 refused");
        });
        assertFalse(r.ready);
        assertEquals("health service failed", r.checks.get(HealthResource.SERVICE_CHECK).detail);
    }

    @Test
    @DisplayName("OPS-5: checks are reported in name order")
    void ordered() {
        Map<String, HealthStatus> checks = new LinkedHashMap<>();
        checks.put("zeta", HealthStatus.up(""));
        checks.put("alpha", HealthStatus.up(""));
        checks.put("mid", HealthStatus.up(""));
        assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(HealthResource.report(service(true, checks)).checks.keySet()));
    }

    @Test
    @DisplayName("OPS-5: GET /health answers 200 when ready and 503 when not")
    void httpStatus() {
        HealthResource resource = new HealthResource();
        assertEquals(503, resource.health().getStatus());
        resource.service = service(true, Map.of("database", HealthStatus.up("ok")));
        Response ready = resource.health();
        assertEquals(200, ready.getStatus());
        assertTrue(((HealthResource.Report) ready.getEntity()).ready);
        resource.service = service(false, Map.of("database", HealthStatus.up("ok"), "vault", HealthStatus.down("sealed")));
        assertEquals(503, resource.health().getStatus());
        assertSame(HealthResource.Report.class, resource.health().getEntity().getClass());
    }
}
