package dev.mamori.auth.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;

/**
 * Deletes expired sessions every 15 minutes (a platform job, {@value #TYPE}, one node at a time).
 * An expired session is refused anyway when presented; this keeps the table small.
 */
@Component(service = JobHandler.class, property = {JobHandler.TYPE + "=" + SessionPurge.TYPE,
    JobHandler.SCHEDULE + "=0 0/15 * * * ?"})
public class SessionPurge implements JobHandler {
    static final String TYPE = "auth.session-purge";
    private final Sessions sessions;

    /** @param sessions the sessions */
    @Activate
    public SessionPurge(@Reference Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public JobStep step(JobRun run) {
        return JobStep.finished(sessions.purgeExpired() + " expired session(s) deleted");
    }
}
