package dev.mamori.platform.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.Transactions;

/**
 * This node's share of the work: fires due schedules, claims due jobs it has handlers for (a
 * compare-and-set on the job's lease) and runs them step by step on a small pool.
 */
final class JobPoller {
    private static final Logger LOG = LoggerFactory.getLogger(JobPoller.class);

    private final JobStore store;
    private final JobServiceImpl.Settings settings;
    private final JobHandlers handlers;
    private final JobRunner runner;
    private final JobSchedules schedules;
    private final Supplier<Clock> clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private final ExecutorService pool;
    private volatile boolean stopped;
    private volatile boolean started;

    JobPoller(JobStore store, JobServiceImpl.Settings settings, JobHandlers handlers, JobRunner runner, JobSchedules schedules,
            Supplier<Clock> clock) {
        this.store = store;
        this.settings = settings;
        this.handlers = handlers;
        this.runner = runner;
        this.schedules = schedules;
        this.clock = clock;
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("mamori-jobs-poll"));
        this.pool = Executors.newFixedThreadPool(settings.workers(), daemon("mamori-jobs"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    String node() {
        return settings.node();
    }

    boolean stopped() {
        return stopped;
    }

    void start() {
        started = true;
        poller.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops taking jobs at once, without waiting (safe from inside a step). */
    void stop() {
        stopped = true;
        // no interrupts: an interrupted JDBC call can close the embedded database's files under it
        poller.shutdown();
        pool.shutdown();
    }

    /** Waits for the step in flight; past the bound its lease expires on its own. */
    void awaitStop() {
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("A job step did not end within 30 s of shutdown; its lease expires on its own");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks for due work now rather than at the next poll. */
    void nudge() {
        if (started && !stopped) {
            try {
                poller.execute(this::poll);
            } catch (RejectedExecutionException shuttingDown) {
                // nothing to do
            }
        }
    }

    /** One poll, now: fire due schedules, then take due jobs this node has handlers for, while workers are free. */
    void poll() {
        if (stopped) {
            return;
        }
        try {
            schedules.fire();
            int free = settings.workers() - running.size();
            if (free <= 0) {
                return;
            }
            long now = clock.get().millis();
            java.util.List<String> types = handlers.all().stream().map(JobHandlers.Handler::name).collect(java.util.stream.Collectors.toList());
            for (String[] due : store.due(now, free * 4 + running.size(), types)) {
                String id = due[0];
                if (running.size() >= settings.workers() || stopped) {
                    break;
                }
                if (!handlers.has(due[1]) || running.contains(id)) {
                    continue;
                }
                boolean claimed;
                try {
                    claimed = store.claim(id, settings.node(), now, now + settings.lease().toMillis());
                } catch (SQLException e) {
                    if (!Transactions.isLockTimeout(e)) {
                        throw e;
                    }
                    // someone holds the row (a cancel, an operator's query): the next poll tries again
                    runner.lockRetried();
                    continue;
                }
                if (claimed) {
                    running.add(id);
                    try {
                        pool.execute(() -> run(id));
                    } catch (RejectedExecutionException shuttingDown) {
                        running.remove(id);
                        store.release(id, settings.node(), now);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Job poll failed (retried in {} s): {}", settings.pollInterval().toSeconds(), e.toString());
        }
    }

    private void run(String id) {
        try {
            while (!stopped && runner.stepOnce(id)) {
                // next step
            }
            if (stopped) {
                // any node resumes it at once, this one at its next start
                store.release(id, settings.node(), clock.get().millis());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Job {} lost its runner: {}; it is picked up again when its lease ends", id, e.toString());
        } finally {
            running.remove(id);
            nudge();
        }
    }
}
