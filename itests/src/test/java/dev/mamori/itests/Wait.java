package dev.mamori.itests;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling with a deadline, instead of sleeping a fixed time. */
public final class Wait {
    private Wait() {
    }

    /** @return the first non-null, non-false value of {@code probe} within {@code timeout} */
    public static <T> T until(String what, Duration timeout, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = probe.call();
                if (v != null && !Boolean.FALSE.equals(v)) {
                    return v;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        AssertionError e = new AssertionError("Timed out after " + timeout + " waiting for " + what);
        if (last != null) {
            e.initCause(last);
        }
        throw e;
    }
}
