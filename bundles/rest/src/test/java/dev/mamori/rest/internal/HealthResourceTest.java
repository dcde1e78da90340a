package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

class HealthResourceTest {

    static HealthCheck check(String name, HealthStatus status) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthStatus check() {
                return status;
            }
        };
    }

    static HealthCheck throwing(String name) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthStatus check() {
                throw new IllegalStateException("jdbc:postgresql://db.internal:5432 refused");
            }
        };
    }

    @Test
    @DisplayName("OPS-5: with no checks registered the server is live but not ready")
    void noChecks() {
        HealthResource.Report r = HealthResource.report(List.of());
        assertTrue(r.live);
        assertFalse(r.ready);
        assertEquals("DOWN", r.status);
        assertTrue(r.checks.isEmpty());
    }

    @Test
    @DisplayName("OPS-5: ready and UP when every check is up")
    void allUp() {
        HealthResource.Report r = HealthResource.report(List.of(check("database", HealthStatus.up("connection valid")),
                check("pii-database", HealthStatus.up("connection valid"))));
        assertTrue(r.ready);
        assertTrue(r.live);
        assertEquals("UP", r.status);
        assertEquals("UP", r.checks.get("database").status);
        assertEquals("connection valid", r.checks.get("pii-database").detail);
    }

    @Test
    @DisplayName("OPS-5: one check down makes the server not ready, and the report says which")
    void oneDown() {
        HealthResource.Report r = HealthResource.report(List.of(check("database", HealthStatus.up("ok")),
                check("vault", HealthStatus.down("sealed"))));
        assertFalse(r.ready);
        assertTrue(r.live);
        assertEquals("DOWN", r.status);
        assertEquals("UP", r.checks.get("database").status);
        assertEquals("DOWN", r.checks.get("vault").status);
        assertEquals("sealed", r.checks.get("vault").detail);
    }

    @Test
    @DisplayName("OPS-5: a throwing check counts as DOWN and its exception text is not exposed")
    void throwingCheck() {
        HealthResource.Report r = HealthResource.report(List.of(check("database", HealthStatus.up("ok")), throwing("vault")));
        assertFalse(r.ready);
        assertEquals("DOWN", r.status);
        assertEquals("DOWN", r.checks.get("vault").status);
        assertEquals("check failed", r.checks.get("vault").detail);
        assertEquals("UP", r.checks.get("database").status, "the other checks still run");
    }

    @Test
    @DisplayName("OPS-5: checks are reported in name order")
    void ordered() {
        HealthResource.Report r = HealthResource.report(List.of(check("zeta", HealthStatus.up("")),
                check("alpha", HealthStatus.up("")), check("mid", HealthStatus.up(""))));
        assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(r.checks.keySet()));
    }

    @Test
    @DisplayName("OPS-5: GET /health answers 200 when ready and 503 when not")
    void httpStatus() {
        HealthResource resource = new HealthResource();
        Response notReady = resource.health();
        assertEquals(503, notReady.getStatus());
        resource.checks.add(check("database", HealthStatus.up("ok")));
        Response ready = resource.health();
        assertEquals(200, ready.getStatus());
        assertTrue(((HealthResource.Report) ready.getEntity()).ready);
        resource.checks.add(throwing("vault"));
        assertEquals(503, resource.health().getStatus());
        assertSame(HealthResource.Report.class, resource.health().getEntity().getClass());
    }
}
