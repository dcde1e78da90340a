package dev.mamori.rest.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Generation} and the retired ones still finishing requests. Each request
 * enters the generation current when it arrives and stays with it to the end; a switch never
 * fails a request in flight. A retired generation is destroyed once its last request is done,
 * or after the grace period at the latest.
 */
final class Generations {
    private static final Logger LOG = LoggerFactory.getLogger(Generations.class);
    private final Object lock = new Object();
    private final ScheduledExecutorService executor;
    private final Duration grace;
    private final Set<Generation> retiring = ConcurrentHashMap.newKeySet();
    private volatile Generation current;
    private boolean closed;

    /**
     * @param executor where retired generations are destroyed
     * @param grace    longest wait for a retired generation's requests
     */
    Generations(ScheduledExecutorService executor, Duration grace) {
        this.executor = executor;
        this.grace = grace;
    }

    /** @return the generation new requests go to, or null */
    Generation current() {
        return current;
    }

    /** @return generations retired but not yet destroyed */
    Set<Generation> retiring() {
        return Set.copyOf(retiring);
    }

    /**
     * Serves a request on the current generation.
     *
     * @return false, having written nothing, when no generation is live
     */
    boolean dispatch(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Generation g = enterCurrent();
        if (g == null) {
            return false;
        }
        try {
            if (!g.live()) {
                return false;
            }
            g.invoke(request, response);
            return true;
        } finally {
            g.exit();
        }
    }

    private Generation enterCurrent() {
        while (true) {
            Generation g = current;
            if (g == null) {
                return null;
            }
            if (g.enter()) {
                return g;
            }
            // retired between the read and enter: the switch already published its successor
            Thread.onSpinWait();
        }
    }

    /**
     * Makes {@code next} current and retires the previous generation.
     *
     * @param next a started generation, or null for none (no resources)
     */
    void install(Generation next) {
        Generation previous;
        synchronized (lock) {
            if (closed) {
                if (next != null) {
                    next.destroy();
                }
                return;
            }
            previous = current;
            current = next;
        }
        if (previous != null) {
            retire(previous);
        }
    }

    private void retire(Generation g) {
        retiring.add(g);
        g.retire().thenAccept(done -> destroyLater(done, "drained"));
        try {
            executor.schedule(() -> {
                if (!g.destroyed()) {
                    LOG.warn("REST {} still had {} request(s) in flight after {}; destroyed anyway", g, g.inFlight(), grace);
                    destroy(g);
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            destroy(g);
        }
    }

    /** The last request may finish on a container thread: the teardown goes to the executor. */
    private void destroyLater(Generation g, String why) {
        try {
            executor.execute(() -> destroy(g));
        } catch (RejectedExecutionException e) {
            destroy(g);
        }
        LOG.debug("REST {} {}", g, why);
    }

    private void destroy(Generation g) {
        try {
            g.destroy();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("REST {} did not shut down cleanly", g, e);
        } finally {
            retiring.remove(g);
        }
    }

    /** Destroys every generation now; nothing is installed afterwards. */
    void close() {
        Generation last;
        synchronized (lock) {
            closed = true;
            last = current;
            current = null;
        }
        if (last != null) {
            last.retire();
            destroy(last);
        }
        for (Generation g : retiring()) {
            destroy(g);
        }
    }
}
