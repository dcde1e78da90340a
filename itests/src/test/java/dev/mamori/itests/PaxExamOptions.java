package dev.mamori.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/** Options that boot the real Mamori distribution under Pax Exam. */
final class PaxExamOptions {
    private PaxExamOptions() {
    }

    static Option[] distribution(Option... extra) {
        String dist = System.getProperty("mamori.distribution");
        if (dist == null || !new File(dist).isFile()) {
            throw new IllegalStateException("Distribution not found at " + dist + "; build karaf-assembly first");
        }
        File work = new File(System.getProperty("mamori.it.work", "target/it-work"), "exam");
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        List<Option> options = new ArrayList<>(Arrays.asList(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(dist).toURI().toString())
                        .name("Mamori")
                        .karafVersion(System.getProperty("karaf.version", "4.4.10"))
                        .unpackDirectory(work)
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.WARN),
                // the test harness's own bundles come from Maven; the product itself never downloads
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                // an event detail its type does not declare fails the test, as in the unit tests (production leaves it out)
                systemProperty("mamori.events.strict").value("true"),
                // free ports, so the suite runs beside a Mamori server on 8443/8101; the tests read them from Config Admin
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", Integer.toString(FreePorts.next())),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(FreePorts.next())),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePorts.next())),
                // the third-party-style plugin the container tests install
                systemProperty("mamori.it.plugin").value(new File(System.getProperty("mamori.it.plugin", "plugin/target/none.jar"))
                        .getAbsolutePath()),
                vmOption("-Xmx512m")));
        if (Boolean.getBoolean("mamori.it.keep")) {
            // -Dmamori.it.keep=true keeps target/it-work/exam/<run> (etc/, data/log/karaf.log) for a look afterwards
            options.add(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder());
        }
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }
}
