package dev.mamori.records.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * The automatic trash purge (RET-2): daily, one run per tenant, in that tenant; each step purges up
 * to {@link TrashServiceImpl#BATCH} records whose trash period has passed, in one unit of work with
 * the ledger and the audit events; and it drops import files older than 7 days. Safe to re-run and to resume after a crash: a step only ever
 * looks at what is still due.
 */
@Component(service = JobHandler.class, property = {JobHandler.SCHEDULE + "=0 40 2 * * ?", JobHandler.SCHEDULE_SCOPE + "=tenant"})
public class TrashPurge implements JobHandler<JobType.None, Long> {
    static final JobType<JobType.None, Long> TYPE = JobType.of("records.trash-purge", JobType.None.class, Long.class);
    private final RecordsCore core;

    /** @param core store, events, clock */
    @Activate
    public TrashPurge(@Reference RecordsCore core) {
        this.core = core;
    }

    @Override
    public JobType<JobType.None, Long> type() {
        return TYPE;
    }

    @Override
    public JobStep<Long> step(JobRun<JobType.None, Long> run) {
        String tenant = core.tenants.requireTenantId();
        // imports whose job never ran to its end keep their file 7 days at most
        core.units.run(() -> core.imports.deleteOlderThan(tenant, core.clock.instant().minus(java.time.Duration.ofDays(7))));
        int n = core.units.call(() -> TrashServiceImpl.purge(core, tenant, core.store.due(tenant, core.clock.instant(),
                TrashServiceImpl.BATCH), "expired", null));
        long total = run.cursor().orElse(0L) + n;
        return n < TrashServiceImpl.BATCH ? JobStep.finished(total + " record(s) purged from the trash")
                : JobStep.progress(total, n);
    }
}
