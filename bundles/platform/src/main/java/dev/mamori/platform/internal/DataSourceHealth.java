package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/** Readiness of one DataSource: present and handing out valid connections. */
abstract class DataSourceHealth implements HealthCheck {
    private final String name;

    DataSourceHealth(String name) {
        this.name = name;
    }

    abstract DataSource dataSource();

    @Override
    public String name() {
        return name;
    }

    @Override
    public HealthStatus check() {
        DataSource ds = dataSource();
        if (ds == null) {
            return HealthStatus.down("DataSource not registered");
        }
        try (Connection c = ds.getConnection()) {
            return c.isValid(2) ? HealthStatus.up("connection valid") : HealthStatus.down("connection invalid");
        } catch (SQLException | RuntimeException e) {
            return HealthStatus.down("no connection");
        }
    }
}
