package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthStatus;

class HealthServiceImplTest {
    static HealthCheck check(String name, boolean up) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthStatus check() {
                return up ? HealthStatus.up("ok") : HealthStatus.down("broken");
            }
        };
    }

    @Test
    @DisplayName("OPS-5: ready only when every required check is registered and every check is up")
    void requiredChecks() {
        HealthReport ok = HealthServiceImpl.report(List.of(check("database", true), check("vault", true)), Set.of("database", "vault"));
        assertTrue(ok.ready());
        HealthReport missing = HealthServiceImpl.report(List.of(check("database", true)), Set.of("database", "vault"));
        assertFalse(missing.ready(), "a required check that is not registered (its bundle stopped) is not ready");
        assertEquals("not registered", missing.checks().get("vault").detail());
        assertFalse(missing.checks().get("vault").isUp());
        HealthReport down = HealthServiceImpl.report(List.of(check("database", true), check("extra", false)), Set.of("database"));
        assertFalse(down.ready(), "an optional check that is registered and down still counts");
        assertFalse(HealthServiceImpl.report(List.of(), Set.of()).ready(), "nothing at all is not ready");
    }

    @Test
    @DisplayName("OPS-5: a check that throws, or two checks of one name of which one is down, report DOWN")
    void brokenChecks() {
        HealthCheck throwing = new HealthCheck() {
            @Override
            public String name() {
                return "vault";
            }

            @Override
            public HealthStatus check() {
                throw new IllegalStateException("x");
            }
        };
        HealthReport r = HealthServiceImpl.report(List.of(throwing), Set.of());
        assertFalse(r.ready());
        assertEquals("check failed", r.checks().get("vault").detail());
        HealthReport twice = HealthServiceImpl.report(List.of(check("vault", false), check("vault", true)), Set.of());
        assertFalse(twice.ready());
        assertFalse(twice.checks().get("vault").isUp());
    }

    @Test
    @DisplayName("OPS-5: a .cfg file's comma-separated list is read as several names")
    void commaSeparatedNames() {
        assertEquals(Set.of("database", "vault", "schema"), HealthServiceImpl.names(new String[] {"database, vault", "schema", ""}));
    }
}
