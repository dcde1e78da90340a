package dev.mamori.notification.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.health.HealthReport;
import dev.mamori.platform.health.HealthService;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Every minute: whether the server is ready (its required health checks), recorded for the minute
 * (OPS-5). A minute without a record — the server down, or too busy to run its jobs — counts as
 * unavailable; a minute is available if any node found itself ready in it.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 * * * * ?")
public class AvailabilityProbe implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("notification.availability-probe");
    private static final String NODE = node();
    private final NotificationCore core;
    private final HealthService health;

    /** @param core the store and clock @param health readiness */
    @Activate
    public AvailabilityProbe(@Reference NotificationCore core, @Reference HealthService health) {
        this.core = core;
        this.health = health;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(probe() ? "ready" : "not ready");
    }

    boolean probe() {
        HealthReport r = health.report();
        String failing = r.ready() ? null : r.checks().entrySet().stream().filter(e -> !e.getValue().isUp())
                .map(Map.Entry::getKey).collect(Collectors.joining(","));
        Instant minute = core.clock.instant().truncatedTo(ChronoUnit.MINUTES);
        core.units.run(() -> core.availability.record(minute, r.ready(), NODE, failing));
        return r.ready();
    }

    private static String node() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.length() > 100 ? h.substring(0, 100) : h;
        } catch (java.io.IOException e) {
            return "node";
        }
    }
}
