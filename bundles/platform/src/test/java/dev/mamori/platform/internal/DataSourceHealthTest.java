package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.mamori.platform.health.HealthStatus;

class DataSourceHealthTest {
    private static final String MAIN = "(osgi.jndi.service.name=mamori)";

    private static DataSource failing(String secretMessage) {
        return (DataSource) Proxy.newProxyInstance(DataSourceHealthTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    throw new SQLException(secretMessage);
                });
    }

    /** @return the factory configurations of dev.mamori.health.datasource the features ship, by name */
    private static Map<String, Properties> shipped() throws Exception {
        Path xml = Path.of(System.getProperty("mamori.feature.xml", "../../features/src/main/feature/feature.xml"));
        assertTrue(Files.isRegularFile(xml), "the features file: " + xml.toAbsolutePath());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        NodeList configs = f.newDocumentBuilder().parse(xml.toFile()).getElementsByTagNameNS("*", "config");
        Map<String, Properties> out = new TreeMap<>();
        for (int i = 0; i < configs.getLength(); i++) {
            Element e = (Element) configs.item(i);
            if (e.getAttribute("name").startsWith(DataSourceHealth.FACTORY_PID + "-")) {
                Properties p = new Properties();
                p.load(new StringReader(e.getTextContent()));
                out.put(e.getAttribute("name"), p);
            }
        }
        return out;
    }

    @Test
    @DisplayName("OPS-5, CRY-4: the features configure one check class twice - database for DataSource mamori, pii-database for mamori-pii")
    void shippedChecks() throws Exception {
        Map<String, Properties> shipped = shipped();
        assertEquals(2, shipped.size(), shipped.toString());
        Properties main = shipped.get(DataSourceHealth.FACTORY_PID + "-mamori");
        assertEquals("database", main.getProperty("name"));
        assertEquals(MAIN, main.getProperty("dataSource.target"));
        Properties pii = shipped.get(DataSourceHealth.FACTORY_PID + "-mamori-pii");
        assertEquals("pii-database", pii.getProperty("name"));
        assertEquals("(osgi.jndi.service.name=mamori-pii)", pii.getProperty("dataSource.target"));
        for (Properties p : shipped.values()) {
            assertEquals(p.getProperty("name"), new DataSourceHealth(p.getProperty("name"), p.getProperty("dataSource.target")).name());
        }
    }

    @Test
    @DisplayName("OPS-5: a configuration without a name or a DataSource filter makes no check (it would report on any DataSource)")
    void incompleteConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new DataSourceHealth("database", null));
        assertThrows(IllegalArgumentException.class, () -> new DataSourceHealth("database", " "));
        assertThrows(IllegalArgumentException.class, () -> new DataSourceHealth("", MAIN));
    }

    @Test
    @DisplayName("OPS-5: a missing DataSource is DOWN")
    void missing() {
        HealthStatus s = new DataSourceHealth("database", MAIN).check();
        assertFalse(s.isUp());
        assertEquals("DataSource not registered", s.detail());
    }

    @Test
    @DisplayName("OPS-5: a working DataSource is UP")
    void working() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:health-" + UUID.randomUUID());
        DataSourceHealth h = new DataSourceHealth("pii-database", "(osgi.jndi.service.name=mamori-pii)");
        h.dataSource = ds;
        assertTrue(h.check().isUp());
    }

    @Test
    @DisplayName("OPS-5: a failing DataSource is DOWN without leaking the driver's message (host names, users)")
    void failingDataSource() {
        DataSourceHealth h = new DataSourceHealth("database", MAIN);
        h.dataSource = failing("connect to db.internal:5432 as mamori_admin failed");
        HealthStatus s = h.check();
        assertFalse(s.isUp());
        assertEquals("no connection", s.detail());
    }
}
