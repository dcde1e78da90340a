package dev.mamori.itests;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The distribution as shipped: embedded H2. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class H2IT extends MamoriContainerTests {

    @Configuration
    public Option[] config() {
        return PaxExamOptions.distribution();
    }

    @Override
    protected String databaseProduct() {
        return "H2";
    }

    /** The shipped files data/mamori/db/mamori and data/mamori/db/mamori-pii, as H2 names them. */
    @Override
    protected String databaseName(String dataSource) {
        return dataSource.toUpperCase(java.util.Locale.ROOT);
    }
}
