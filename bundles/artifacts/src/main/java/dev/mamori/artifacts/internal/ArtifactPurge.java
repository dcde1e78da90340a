package dev.mamori.artifacts.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/** Deletes expired job artifacts every hour (a platform job, one node at a time). */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 7 * * * ?")
public class ArtifactPurge implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("artifacts.purge");
    private final ArtifactStoreImpl store;

    /** @param store the artifact store */
    @Activate
    public ArtifactPurge(@Reference ArtifactStoreImpl store) {
        this.store = store;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(store.purgeExpired() + " expired artifact(s) deleted");
    }
}
