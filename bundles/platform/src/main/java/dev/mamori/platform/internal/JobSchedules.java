package dev.mamori.platform.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.platform.job.JobType;

/**
 * Cron schedules of job handlers ({@code mamori.job.schedule}), read in the clock's zone. Each
 * schedule's next firing is a row; at a firing every node tries to move it on, and the one whose
 * compare-and-set succeeds submits the run (one open run per schedule, by its key).
 */
final class JobSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(JobSchedules.class);

    private final JobStore store;
    private final JobHandlers handlers;
    private final Supplier<Clock> clock;
    private final JobSubmission submission;
    private final Supplier<JobTenants> tenants;
    private final Set<String> badSchedules = ConcurrentHashMap.newKeySet();

    JobSchedules(JobStore store, JobHandlers handlers, Supplier<Clock> clock, JobSubmission submission, Supplier<JobTenants> tenants) {
        this.store = store;
        this.handlers = handlers;
        this.clock = clock;
        this.submission = submission;
        this.tenants = tenants;
    }

    /** A handler (re)registered: its schedule is read again. */
    void changed(String type) {
        badSchedules.remove(type);
    }

    /** Fires the due schedules; the node whose compare-and-set moves a schedule on submits its run. */
    void fire() throws SQLException {
        for (JobHandlers.Handler h : handlers.all()) {
            if (h.schedule() == null || badSchedules.contains(h.name())) {
                continue;
            }
            CronSchedule cron;
            try {
                cron = CronSchedule.parse(h.schedule(), clock.get().getZone());
            } catch (IllegalArgumentException e) {
                badSchedules.add(h.name());
                LOG.error("Job type {}: {}; it is not scheduled", h.name(), e.getMessage());
                continue;
            }
            Instant now = clock.get().instant();
            Optional<Object[]> recorded = store.schedule(h.name());
            Instant next = cron.next(now);
            long nextMillis = next == null ? Long.MAX_VALUE : next.toEpochMilli();
            if (recorded.isEmpty()) {
                store.insertSchedule(h.name(), cron.expression(), nextMillis);
                continue;
            }
            String expression = (String) recorded.get()[0];
            long fireAt = (Long) recorded.get()[1];
            if (!expression.equals(cron.expression())) {
                store.moveSchedule(h.name(), expression, fireAt, cron.expression(), nextMillis);
                continue;
            }
            if (fireAt > now.toEpochMilli()) {
                continue;
            }
            JobTenants directory = h.perTenant() ? tenants.get() : null;
            if (h.perTenant() && directory == null) {
                // never fan out to a guessed set of tenants: the schedule stays due until the directory is back
                LOG.warn("Job type {}: its per-tenant schedule is due but no tenant directory runs; it waits", h.name());
                continue;
            }
            List<String> each = directory == null ? null : directory.tenantIds();
            if (store.moveSchedule(h.name(), expression, fireAt, expression, nextMillis)) {
                // this node moved the schedule on: it submits the run(s) (one open run at a time, by its key)
                ExecutionContext.system("jobs.schedule").run(() -> submitRuns(h, each));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void submitRuns(JobHandlers.Handler h, List<String> tenantIds) {
        // a scheduled type takes no parameters (JobHandlers refuses it otherwise)
        JobType<JobType.None, ?> type = (JobType<JobType.None, ?>) h.type();
        if (tenantIds == null) {
            submission.submit(JobRequest.of(type).key("schedule"));
            return;
        }
        for (String tenantId : tenantIds) {
            try {
                submission.submit(JobRequest.of(type).key("schedule|" + tenantId).tenant(tenantId));
            } catch (RuntimeException e) {
                // one tenant's failure does not keep the others' runs from being submitted
                LOG.error("Job type {}: the scheduled run for tenant {} could not be submitted: {}", h.name(), tenantId, e.toString());
            }
        }
    }
}
