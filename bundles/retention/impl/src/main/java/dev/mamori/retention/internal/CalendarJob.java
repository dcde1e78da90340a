package dev.mamori.retention.internal;

import java.time.LocalDate;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.retention.CalendarAction;
import dev.mamori.retention.PlannedAction;
import dev.mamori.retention.RetentionEvents;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/**
 * The tenant calendar, every hour: each tenant's steps due today (those the dry run lists for
 * today), in order — expire, then delete unless a legal hold stops it — each in its own unit of work
 * with its audit events, and only on the tenant as it was read (one renewed meanwhile is left
 * alone). Idempotent: a tenant already moved has nothing due; a run that stopped resumes after the
 * last tenant it finished (by slug), a hundred tenants a step.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 7 * * * ?")
public class CalendarJob implements JobHandler<JobType.None, String> {
    static final JobType<JobType.None, String> TYPE = JobType.of("retention.calendar", JobType.None.class, String.class);
    private static final Logger LOG = LoggerFactory.getLogger(CalendarJob.class);
    private static final int TENANTS_PER_STEP = 100;
    private final RetentionCore core;
    private final TenantService tenants;
    private final RetentionServiceImpl plans;

    /** @param core units, events @param tenants the tenants @param plans what is due */
    @Activate
    public CalendarJob(@Reference RetentionCore core, @Reference TenantService tenants, @Reference RetentionServiceImpl plans) {
        this.core = core;
        this.tenants = tenants;
        this.plans = plans;
    }

    @Override
    public JobType<JobType.None, String> type() {
        return TYPE;
    }

    @Override
    public JobStep<String> step(JobRun<JobType.None, String> run) {
        String after = run.cursor().orElse("");
        List<Tenant> next = tenants.list().stream().filter(t -> t.slug().compareTo(after) > 0).limit(TENANTS_PER_STEP).toList();
        if (next.isEmpty() || run.cancelRequested()) {
            return JobStep.finished(run.done() + " step(s) taken");
        }
        LocalDate today = plans.today();
        long applied = 0;
        for (Tenant t : next) {
            applied += apply(t, today);
        }
        return JobStep.progress(next.get(next.size() - 1).slug(), applied);
    }

    /** @return how many of the tenant's steps were taken (it is read again before each) */
    int apply(Tenant t, LocalDate today) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.SYSTEM);
        int taken = 0;
        Tenant now = t;
        for (int guard = 0; guard < 2; guard++) {
            List<PlannedAction> due = plans.actions(now, today);
            if (due.isEmpty()) {
                return taken;
            }
            PlannedAction a = due.get(0);
            if (a.heldBy() != null) {
                LOG.info("Tenant {}: {} due since {} is held by legal hold {}", t.slug(), a.action(), a.due(), a.heldBy());
                return taken;
            }
            Tenant seen = now;
            try {
                core.units.run(() -> {
                    if (a.action() == CalendarAction.EXPIRE) {
                        tenants.expire(seen.id(), seen.updatedAt());
                    } else {
                        tenants.delete(seen.id(), seen.slug(), seen.updatedAt());
                    }
                    core.events.publish(MamoriEvent.builder(RetentionEvents.CALENDAR_APPLIED).tenant(seen.id())
                            .target("tenant", seen.id()).detail("action", a.action()).detail("due", a.due()).detail("rule", a.rule()));
                });
            } catch (IllegalTransitionException e) {
                // changed since it was read (an operator renewed it, say): the next run reads it again
                LOG.info("Tenant {}: {} not taken: {}", t.slug(), a.action(), e.getMessage());
                return taken;
            }
            taken++;
            now = tenants.get(seen.id());
        }
        return taken;
    }
}
