package dev.mamori.tenant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.db.Migrations;
import dev.mamori.tenant.NewTenant;

/** The tenant bundle's own Flyway history, on a database already migrated (as at an earlier bundle start). */
class TenantMigrationsTest {

    @Test
    @DisplayName("EXT-1: migrating again at the next bundle start re-applies nothing and keeps existing tenants")
    void restartAppliesNothing() throws Exception {
        TestDb db = TestDb.fresh();
        dev.mamori.platform.context.ExecutionContext.system("test").run(() -> db.tenants.create(NewTenant.builder("acme", "Acme").build()));
        TenantServiceImpl restarted = db.newService(TestDb.config(30, "jp"));
        assertEquals("acme", restarted.get("acme").slug());
        assertEquals(0, Migrations.migrate(db.dataSource, TenantServiceImpl.class, "dev/mamori/tenant/db", "mamori_schema_tenant"));
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"mamori_schema_tenant\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertTrue(rs.getBoolean(2));
            assertTrue(!rs.next(), "V1 recorded exactly once");
        }
    }
}
