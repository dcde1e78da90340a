package dev.mamori.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.notification.Audience;
import dev.mamori.notification.Notification;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.notification.ObligationClock;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Every five minutes: alerts operators (e-mail to operator.emails) when an incident's notice or
 * progress clock comes within a configured threshold of its deadline (24 h and 6 h by default; a
 * threshold as long as the clock's period is skipped, so the progress clock alerts at 6 h), and
 * once when it is overdue. Each alert is raised once per clock, deadline and threshold (a new
 * progress deadline after an update gets its own); when the watch first sees a clock already close,
 * only the nearest threshold is raised.
 */
@Component(service = JobHandler.class, property = JobHandler.SCHEDULE + "=0 */5 * * * ?")
public class ClockWatch implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("notification.incident-clocks");
    private final NotificationCore core;
    private final DeliveryWake wake;

    /** @param core stores, settings, clock @param wake starts the delivery */
    @Activate
    public ClockWatch(@Reference NotificationCore core, @Reference DeliveryWake wake) {
        this.core = core;
        this.wake = wake;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(check() + " alert(s)");
    }

    /** @return how many alerts were raised */
    int check() {
        Instant now = core.clock.instant();
        int raised = 0;
        for (IncidentStore.Row r : core.incidents.list(true)) {
            for (ObligationClock c : Clocks.of(r, now)) {
                boolean watched = ObligationClock.NOTICE.equals(c.name()) || ObligationClock.PROGRESS.equals(c.name());
                if (!watched || (c.state() != ObligationClock.State.OPEN && c.state() != ObligationClock.State.OVERDUE)) {
                    continue;
                }
                Duration period = ObligationClock.NOTICE.equals(c.name()) ? Clocks.NOTICE : Clocks.PROGRESS;
                Duration threshold = threshold(c, period, core.settings().alertBefore());
                if (threshold != null && alert(r, c, threshold, now)) {
                    raised++;
                }
            }
        }
        return raised;
    }

    /**
     * @return the nearest threshold the clock is within (zero when overdue), or null; thresholds as
     *         long as the clock's whole period (24 h on the 24-hour progress clock) never apply
     */
    static Duration threshold(ObligationClock c, Duration period, List<Duration> before) {
        if (c.state() == ObligationClock.State.OVERDUE) {
            return Duration.ZERO;
        }
        Duration nearest = null;
        for (Duration t : before) {
            if (t.compareTo(period) < 0 && c.timeLeft().compareTo(t) <= 0 && (nearest == null || t.compareTo(nearest) < 0)) {
                nearest = t;
            }
        }
        return nearest;
    }

    private boolean alert(IncidentStore.Row r, ObligationClock c, Duration threshold, Instant now) {
        return core.units.call(() -> {
            if (!core.incidents.alert(r.id(), c.name(), c.dueAt(), (int) threshold.toMinutes(), now)) {
                return false;
            }
            String due = IncidentServiceImpl.TIME.format(c.dueAt().atZone(core.clock.getZone()));
            Notification n = Notification.of("incident.alert", Audience.operators()).incident(r.id()).value("title", r.title())
                    .value("incident", r.id()).value("clock", c.name()).value("dueAt", due).value("left", Clocks.format(c.timeLeft()))
                    .value("state", c.state().name()).value("pending", String.valueOf(c.pending()));
            List<Outbox.Row> rows = new ArrayList<>();
            rows.add(NotificationServiceImpl.row(n, n.audience(), now));
            NotificationServiceImpl.queue(core, wake, rows, ExecutionContext.require().requirePrincipal(
                    dev.mamori.platform.context.PrincipalKind.SYSTEM));
            core.events.publish(MamoriEvent.builder(NotificationEvents.CLOCK_ALERT).target("incident", r.id()).detail("clock", c.name())
                    .detail("dueAt", c.dueAt()).detail("threshold", threshold.isZero() ? "overdue" : threshold.toHours() + "h"));
            return true;
        });
    }
}
