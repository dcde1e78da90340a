package dev.mamori.vault.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.vault.KeyCutOff;

/**
 * The vault's scheduled maintenance, a platform job ({@value #TYPE}): archived versions whose
 * backups have expired are destroyed, and person erasures reach older copies of the key tables
 * through a cut-off. Daily by default, in the platform's zone; its runs show in the job list.
 */
@Component(service = JobHandler.class, configurationPid = VaultMaintenance.PID,
        property = JobHandler.SCHEDULE + "=0 30 3 * * ?")
@Designate(ocd = VaultMaintenance.Config.class)
public class VaultMaintenance implements JobHandler<JobType.None, JobType.None> {
    static final String TYPE = "vault.maintenance";
    static final JobType<JobType.None, JobType.None> JOB = JobType.simple(TYPE);
    static final String PID = "dev.mamori.vault.maintenance";

    /** Maintenance configuration (PID dev.mamori.vault.maintenance). */
    @ObjectClassDefinition(name = "Mamori vault maintenance", description = "When the vault's maintenance job runs.")
    public @interface Config {
        /** @return cron */
        @AttributeDefinition(name = "mamori.job.schedule", description = "Cron expression (Quartz: sec min hour day month weekday) "
                + "in the platform clock's zone. Each cut-off makes keystore copies taken before it useless, so copy the keystore after.")
        String mamori_job_schedule() default "0 30 3 * * ?";
    }

    private final VaultKeys keys;
    private final KeyLifecycle lifecycle;
    private final CutOffs cutOffs;

    /**
     * @param keys      the key holder
     * @param lifecycle archive expiry
     * @param cutOffs   pending cut-offs
     */
    @Activate
    public VaultMaintenance(@Reference VaultKeys keys, @Reference KeyLifecycle lifecycle, @Reference CutOffs cutOffs) {
        this.keys = keys;
        this.lifecycle = lifecycle;
        this.cutOffs = cutOffs;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return JOB;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        if (keys.status().sealed()) {
            return JobStep.waiting("waiting for the vault to be unsealed", java.time.Duration.ofMinutes(10));
        }
        return JobStep.finished(maintain());
    }

    /** @return what was done; throws when the pending cut-off fails (the job fails and shows why) */
    String maintain() {
        List<String> done = new ArrayList<>();
        int expired = lifecycle.destroyExpiredArchives();
        if (expired > 0) {
            done.add(expired + " expired archived key version(s) destroyed");
        }
        if (cutOffs.cutOffPending()) {
            KeyCutOff cut = cutOffs.cutOff();
            done.add("cut-off to master key " + cut.kekId());
        }
        return done.isEmpty() ? "nothing to do" : String.join("; ", done);
    }
}
