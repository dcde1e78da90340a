package dev.mamori.platform.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.job.JobRequest;

/**
 * Cron schedules of job handlers ({@code mamori.job.schedule}), read in the clock's zone. Each
 * schedule's next firing is a row; at a firing every node tries to move it on, and the one whose
 * compare-and-set succeeds submits the run (one open run per schedule, by its key).
 */
final class JobSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(JobSchedules.class);

    private final JobStore store;
    private final Map<String, JobServiceImpl.Handler> handlers;
    private final Supplier<Clock> clock;
    private final Consumer<JobRequest> submit;
    private final Set<String> badSchedules = ConcurrentHashMap.newKeySet();

    JobSchedules(JobStore store, Map<String, JobServiceImpl.Handler> handlers, Supplier<Clock> clock, Consumer<JobRequest> submit) {
        this.store = store;
        this.handlers = handlers;
        this.clock = clock;
        this.submit = submit;
    }

    /** A handler (re)registered: its schedule is read again. */
    void changed(String type) {
        badSchedules.remove(type);
    }

    /** Fires the due schedules; the node whose compare-and-set moves a schedule on submits its run. */
    void fire() throws SQLException {
        for (JobServiceImpl.Handler h : handlers.values()) {
            if (h.schedule() == null || badSchedules.contains(h.type())) {
                continue;
            }
            CronSchedule cron;
            try {
                cron = CronSchedule.parse(h.schedule(), clock.get().getZone());
            } catch (IllegalArgumentException e) {
                badSchedules.add(h.type());
                LOG.error("Job type {}: {}; it is not scheduled", h.type(), e.getMessage());
                continue;
            }
            Instant now = clock.get().instant();
            Optional<Object[]> recorded = store.schedule(h.type());
            Instant next = cron.next(now);
            long nextMillis = next == null ? Long.MAX_VALUE : next.toEpochMilli();
            if (recorded.isEmpty()) {
                store.insertSchedule(h.type(), cron.expression(), nextMillis);
                continue;
            }
            String expression = (String) recorded.get()[0];
            long fireAt = (Long) recorded.get()[1];
            if (!expression.equals(cron.expression())) {
                store.moveSchedule(h.type(), expression, fireAt, cron.expression(), nextMillis);
            } else if (fireAt <= now.toEpochMilli() && store.moveSchedule(h.type(), expression, fireAt, expression, nextMillis)) {
                // this node moved the schedule on: it submits the run (one open run at a time, by its key)
                ExecutionContext.system("jobs.schedule").run(() -> submit.accept(JobRequest.of(h.type()).key("schedule")));
            }
        }
    }
}
