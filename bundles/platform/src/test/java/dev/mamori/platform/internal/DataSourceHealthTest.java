package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.health.HealthStatus;

class DataSourceHealthTest {

    private static DataSource failing(String secretMessage) {
        return (DataSource) Proxy.newProxyInstance(DataSourceHealthTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    throw new SQLException(secretMessage);
                });
    }

    @Test
    @DisplayName("OPS-5: the main and PII databases report under stable names")
    void names() {
        assertEquals("database", new MainDataSourceHealth().name());
        assertEquals("pii-database", new PiiDataSourceHealth().name());
    }

    @Test
    @DisplayName("OPS-5: a missing DataSource is DOWN")
    void missing() {
        HealthStatus s = new MainDataSourceHealth().check();
        assertFalse(s.isUp());
        assertEquals("DataSource not registered", s.detail());
    }

    @Test
    @DisplayName("OPS-5: a working DataSource is UP")
    void working() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:health-" + UUID.randomUUID());
        PiiDataSourceHealth h = new PiiDataSourceHealth();
        h.dataSource = ds;
        assertTrue(h.check().isUp());
    }

    @Test
    @DisplayName("OPS-5: a failing DataSource is DOWN without leaking the driver's message (host names, users)")
    void failingDataSource() {
        MainDataSourceHealth h = new MainDataSourceHealth();
        h.dataSource = failing("connect to db.internal:5432 as mamori_admin failed");
        HealthStatus s = h.check();
        assertFalse(s.isUp());
        assertEquals("no connection", s.detail());
    }
}
