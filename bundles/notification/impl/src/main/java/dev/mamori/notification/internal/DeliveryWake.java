package dev.mamori.notification.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;

/**
 * Starts a delivery run as the platform once notifications were committed, so that they go out
 * within seconds; the run every minute picks up whatever this misses (a run ending as new rows
 * commit, or a failure here).
 */
@Component(service = DeliveryWake.class)
public class DeliveryWake {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWake.class);
    private final JobService jobs;

    /** @param jobs the job service */
    @Activate
    public DeliveryWake(@Reference JobService jobs) {
        this.jobs = jobs;
    }

    /** Submits the delivery run, unless one is open. */
    void now() {
        try {
            ExecutionContext.system("notification").run(() -> jobs.submit(JobRequest.of(DeliveryJob.TYPE).key("now")));
        } catch (RuntimeException e) {
            LOG.warn("The delivery run could not be started now ({}); the scheduled run delivers within a minute.", e.toString());
        }
    }
}
