package dev.mamori.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The same tests with both DataSources switched to PostgreSQL the documented way: the
 * mamori-postgresql feature plus the DataSource configuration.
 */
@RunWith(PostgresPaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresIT extends MamoriContainerTests {
    private static final String DATABASE = "mamori.it.database.";

    @Configuration
    public Option[] config() throws Exception {
        String main = Postgres.createDatabase("mamori_it");
        String pii = Postgres.createDatabase("mamori_it_pii");
        java.util.List<Option> extra = new java.util.ArrayList<>();
        extra.add(editConfigurationFileExtend("etc/org.apache.karaf.features.cfg", "featuresBoot", "mamori-postgresql"));
        extra.addAll(java.util.Arrays.asList(dataSource("mamori", main)));
        extra.addAll(java.util.Arrays.asList(dataSource("mamori-pii", pii)));
        // the tests in the container check each DataSource against the database made for it
        extra.add(systemProperty(DATABASE + "mamori").value(main));
        extra.add(systemProperty(DATABASE + "mamori-pii").value(pii));
        return PaxExamOptions.distribution(extra.toArray(new Option[0]));
    }

    @Override
    protected String databaseProduct() {
        return "PostgreSQL";
    }

    @Override
    protected String databaseName(String dataSource) {
        return java.util.Objects.requireNonNull(System.getProperty(DATABASE + dataSource), dataSource);
    }

    private static Option[] dataSource(String name, String database) {
        String file = "etc/org.ops4j.datasource-" + name + ".cfg";
        return new Option[] {
            editConfigurationFilePut(file, "osgi.jdbc.driver.class", "org.postgresql.Driver"),
            editConfigurationFilePut(file, "url", Postgres.url(database)),
            editConfigurationFilePut(file, "user", Postgres.USER),
            editConfigurationFilePut(file, "password", "")
        };
    }
}
