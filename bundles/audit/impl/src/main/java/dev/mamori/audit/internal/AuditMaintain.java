package dev.mamori.audit.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Every minute (a platform job, one node at a time): integrates whatever is pending (events of a
 * node that stopped before its after-commit pass), and signs a checkpoint of every log that grew and
 * has none younger than {@code checkpoint.minutes}; while a sink fails, it gets each log's newest
 * checkpoint again (a sink that came back catches up; a duplicate line there is harmless).
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 * * * * ?")
public class AuditMaintain implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("audit.maintain");
    private final AuditEngine engine;

    /** @param engine the log machinery */
    @Activate
    public AuditMaintain(@Reference AuditEngine engine) {
        this.engine = engine;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        int grown = engine.integrateAndCheckpoint(engine.config().checkpoint_entries());
        int signed = engine.checkpointAll(Duration.ofMinutes(Math.max(1, engine.config().checkpoint_minutes())));
        int resent = engine.resendToSinks();
        return JobStep.finished(grown + " log(s) grew, " + signed + " checkpoint(s) signed" + (resent > 0 ? ", " + resent
                + " sent again to a sink that had failed" : ""));
    }
}
