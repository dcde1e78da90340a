package dev.mamori.itests;

import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * Runs a Pax Exam class only when PostgreSQL answers. Otherwise its tests are reported as
 * skipped, with the reason and how to enable them; with -Dmamori.it.postgres=required the
 * absence of PostgreSQL fails the class instead, so CI never skips silently.
 */
public class PostgresPaxExam extends Runner {
    private final Class<?> testClass;
    private final Runner delegate;
    private final Description description;

    public PostgresPaxExam(Class<?> testClass) throws Exception {
        this.testClass = testClass;
        if (Postgres.reachable()) {
            delegate = new PaxExam(testClass);
            description = delegate.getDescription();
        } else {
            delegate = null;
            description = Description.createSuiteDescription(testClass);
            for (java.lang.reflect.Method m : testClass.getMethods()) {
                if (m.isAnnotationPresent(org.junit.Test.class)) {
                    description.addChild(Description.createTestDescription(testClass, m.getName()));
                }
            }
        }
    }

    @Override
    public Description getDescription() {
        return description;
    }

    @Override
    public void run(RunNotifier notifier) {
        if (delegate != null) {
            try {
                delegate.run(notifier);
            } finally {
                // the container has stopped: its connections are gone, the databases can go too
                Postgres.dropCreated();
            }
            return;
        }
        if (Postgres.required()) {
            Description d = Description.createTestDescription(testClass, "postgresqlRequired");
            notifier.fireTestStarted(d);
            notifier.fireTestFailure(new Failure(d, new AssertionError(Postgres.HOW_TO)));
            notifier.fireTestFinished(d);
            return;
        }
        System.err.println("SKIPPED " + testClass.getSimpleName() + ": " + Postgres.HOW_TO);
        for (Description child : description.getChildren()) {
            notifier.fireTestIgnored(child);
        }
    }
}
