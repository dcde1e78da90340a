package dev.mamori.rest.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API requests under way (past {@link ApiServlet}'s wait, in a generation). A filter or
 * resource that leaves first waits for the requests that may be using it ({@link #drain}): its
 * service is unregistered before the component behind it, and the services it calls, are
 * deactivated, so those requests finish with everything they need still there, while new ones wait
 * for its successor in {@link Refilling}.
 */
final class InFlight {
    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentSkipListSet<Long> active = new ConcurrentSkipListSet<>();
    /** The ticket of the request this thread serves: a removal it causes itself must not wait for it. */
    private final ThreadLocal<Long> own = new ThreadLocal<>();
    private final Object lock = new Object();
    private volatile int draining;

    /** @return a ticket for {@link #exit}; the request counts as under way until then */
    long enter() {
        long t = tickets.incrementAndGet();
        active.add(t);
        own.set(t);
        return t;
    }

    /** @param ticket what {@link #enter} gave */
    void exit(long ticket) {
        active.remove(ticket);
        own.remove();
        if (draining > 0) {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** @return requests under way */
    int size() {
        return active.size();
    }

    /**
     * Waits until every request under way now has finished (later ones do not count).
     *
     * @param max the longest wait
     * @return false if some were still under way after {@code max}
     * @throws InterruptedException if interrupted
     */
    boolean drain(Duration max) throws InterruptedException {
        long mark = tickets.get();
        Long mine = own.get();
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            draining++;
            try {
                while (underWay(mark, mine)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                return true;
            } finally {
                draining--;
            }
        }
    }

    private boolean underWay(long mark, Long mine) {
        for (Long t : active.headSet(mark, true)) {
            if (!t.equals(mine)) {
                return true;
            }
        }
        return false;
    }
}
