package dev.mamori.notification.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.ErrorGroup;
import dev.mamori.audit.LoggedErrors;
import dev.mamori.notification.Audience;
import dev.mamori.notification.Notification;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Every minute: errors the server logged (AUD-5, counted by the audit capability's log appender)
 * become an alert to the operators — grouped by logger and message shape (ids and numbers left
 * out), each line with its count and the last message's words, at most one
 * alert per {@code error.alert.minutes}, errors logged meanwhile counted into the next one, so a storm
 * of one error is one line with its count. The counts are this node's since it started; the watch
 * compares them with what it alerted last (a count lower than that means the node restarted).
 */
@Component(service = {JobHandler.class, ErrorWatch.class}, property = JobHandler.SCHEDULE + "=30 * * * * ?")
public class ErrorWatch implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("notification.error-alerts");
    // ten lines of at most 350 characters stay within a notification value's 4,000
    private static final int MAX_LINES = 10;
    private final NotificationCore core;
    private final LoggedErrors errors;
    private final DeliveryWake wake;
    private final Object lock = new Object();
    private final Map<String, Long> alerted = new HashMap<>();
    private Instant lastAlert;

    /** @param core settings, clock @param errors the counts @param wake starts the delivery */
    @Activate
    public ErrorWatch(@Reference NotificationCore core, @Reference LoggedErrors errors, @Reference DeliveryWake wake) {
        this.core = core;
        this.errors = errors;
        this.wake = wake;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(check() + " error(s) alerted");
    }

    /** @return how many errors the alert sent now covers (0: none sent) */
    long check() {
        var by = ExecutionContext.require().requirePrincipal(PrincipalKind.SYSTEM);
        synchronized (lock) {
            Map<String, ErrorGroup> counts = new HashMap<>();
            for (ErrorGroup g : errors.groups()) {
                counts.put(g.logger() + "\u0000" + g.shape(), g);
            }
            Map<String, Long> pending = new HashMap<>();
            long total = 0;
            for (Map.Entry<String, ErrorGroup> e : counts.entrySet()) {
                long before = alerted.getOrDefault(e.getKey(), 0L);
                long n = e.getValue().count() >= before ? e.getValue().count() - before : e.getValue().count();
                if (n > 0) {
                    pending.put(e.getKey(), n);
                    total += n;
                }
            }
            Instant now = core.clock.instant();
            if (total == 0 || (lastAlert != null && now.isBefore(lastAlert.plus(core.settings().errorAlertEvery())))) {
                return 0;
            }
            List<String> lines = new ArrayList<>();
            pending.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey())).limit(MAX_LINES).forEach(e -> {
                        ErrorGroup g = counts.get(e.getKey());
                        lines.add(MailText.oneLine(e.getValue() + " x " + g.logger() + ": " + g.message() + " (last "
                                + IncidentServiceImpl.TIME.format(g.last()) + ")", 350));
                    });
            if (pending.size() > MAX_LINES) {
                lines.add("... and " + (pending.size() - MAX_LINES) + " more error(s) of other kinds");
            }
            long covered = total;
            Notification n = Notification.of("error.alert", Audience.operators()).value("count", String.valueOf(total))
                    .value("loggers", String.valueOf(pending.keySet().stream().map(k -> k.substring(0, k.indexOf('\u0000'))).distinct().count())).value("node", node())
                    .value("every", String.valueOf(core.settings().errorAlertEvery().toMinutes())).value("lines", String.join("\n", lines));
            core.units.run(() -> NotificationServiceImpl.queue(core, wake, List.of(NotificationServiceImpl.row(n, n.audience(), now)), by));
            counts.forEach((k, v) -> alerted.put(k, v.count()));
            lastAlert = now;
            return covered;
        }
    }

    private static String node() {
        try {
            return MailText.oneLine(InetAddress.getLocalHost().getHostName(), 100);
        } catch (java.io.IOException e) {
            return "node";
        }
    }

}
