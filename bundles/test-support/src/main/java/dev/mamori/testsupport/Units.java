package dev.mamori.testsupport;

import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;

/** Persistence units of a bundle, outside OSGi, on a test database. */
public final class Units {
    private Units() {
    }

    /**
     * @param unit       the unit's name in the bundle's META-INF/persistence.xml
     * @param dataSource where it lives
     * @return the EntityManagerFactory; close it after the test
     */
    public static EntityManagerFactory open(String unit, DataSource dataSource) {
        return Persistence.createEntityManagerFactory(unit, Map.of("javax.persistence.nonJtaDataSource", dataSource));
    }
}
