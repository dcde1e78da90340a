package dev.mamori.notification.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/** Every minute: sends the scheduled announcements that are due, each in its own unit of work (once, whichever node runs it). */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 * * * * ?")
public class AnnouncementJob implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("notification.announcements");
    private final NotificationCore core;
    private final AnnouncementServiceImpl announcements;

    /** @param core the store and clock @param announcements sends one */
    @Activate
    public AnnouncementJob(@Reference NotificationCore core, @Reference AnnouncementServiceImpl announcements) {
        this.core = core;
        this.announcements = announcements;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(sendDue() + " announcement(s) sent");
    }

    /** @return how many went out */
    int sendDue() {
        var by = ExecutionContext.require().requirePrincipal(PrincipalKind.SYSTEM);
        int n = 0;
        for (String id : core.announcements.due(core.clock.instant(), 100)) {
            n += core.units.call(() -> announcements.send(id, by)) ? 1 : 0;
        }
        return n;
    }
}
