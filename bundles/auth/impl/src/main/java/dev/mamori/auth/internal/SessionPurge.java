package dev.mamori.auth.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Deletes expired sessions every 15 minutes (a platform job, {@value #TYPE}, one node at a time).
 * An expired session is refused anyway when presented; this keeps the table small.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 0/15 * * * ?")
public class SessionPurge implements JobHandler<JobType.None, JobType.None> {
    static final String TYPE = "auth.session-purge";
    static final JobType<JobType.None, JobType.None> JOB = JobType.simple(TYPE);
    private final Sessions sessions;

    /** @param sessions the sessions */
    @Activate
    public SessionPurge(@Reference Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return JOB;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(sessions.purgeExpired() + " expired session(s) deleted");
    }
}
