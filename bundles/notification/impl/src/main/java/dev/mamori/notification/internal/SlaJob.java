package dev.mamori.notification.internal;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.notification.Audience;
import dev.mamori.notification.Availability;
import dev.mamori.notification.Notification;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * After each month (00:10 on the 1st, in the configured zone): the month's figures for the platform
 * and every tenant into the SLA ledger, once; operators alerted for each below the target (OPS-5).
 * A re-run (or a second node) writes and alerts nothing again.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 10 0 1 * ?")
public class SlaJob implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("notification.sla-month");
    private final NotificationCore core;
    private final SlaServiceImpl sla;
    private final DeliveryWake wake;

    /** @param core store, clock @param sla the figures @param wake starts the delivery */
    @Activate
    public SlaJob(@Reference NotificationCore core, @Reference SlaServiceImpl sla, @Reference DeliveryWake wake) {
        this.core = core;
        this.sla = sla;
        this.wake = wake;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        YearMonth last = YearMonth.from(core.clock.instant().atZone(core.clock.getZone())).minusMonths(1);
        return JobStep.finished(close(last) + " below target");
    }

    /** @return how many scopes were below the target (alerted now) */
    int close(YearMonth month) {
        var by = ExecutionContext.require().requirePrincipal(PrincipalKind.SYSTEM);
        int below = 0;
        for (Availability a : sla.all(month)) {
            boolean alerted = core.units.call(() -> {
                if (!core.availability.ledger(a, core.clock.instant()) || !a.below()) {
                    return false;
                }
                Notification n = Notification.of("sla.alert", Audience.operators()).value("month", a.month())
                        .value("scope", a.tenantId() == null ? "platform" : "tenant " + a.tenantId())
                        .value("availability", a.percent().toPlainString()).value("target", a.target().toPlainString())
                        .value("measured", String.valueOf(a.measured())).value("down", String.valueOf(a.down()))
                        .value("maintenance", String.valueOf(a.maintenance()));
                List<Outbox.Row> rows = new ArrayList<>();
                rows.add(NotificationServiceImpl.row(n, n.audience(), core.clock.instant()));
                NotificationServiceImpl.queue(core, wake, rows, by);
                return true;
            });
            below += alerted ? 1 : 0;
        }
        return below;
    }
}
