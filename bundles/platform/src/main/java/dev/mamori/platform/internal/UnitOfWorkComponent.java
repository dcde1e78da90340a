package dev.mamori.platform.internal;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import dev.mamori.platform.db.UnitOfWork;

/**
 * The {@link UnitOfWork} service, and the thread that runs after-commit work (non-required event
 * listeners among it): one daemon thread with a bounded queue, so that a slow listener never slows
 * an action; past the bound, work is dropped with an ERROR line.
 */
@Component(service = UnitOfWork.class)
public class UnitOfWorkComponent implements UnitOfWork {
    static final int QUEUE = 10_000;
    private final ThreadPoolExecutor afterCommit;

    /** Starts the after-commit thread. */
    @Activate
    public UnitOfWorkComponent() {
        afterCommit = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "mamori-after-commit");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        UnitEngine.executor(afterCommit);
    }

    /** Lets queued after-commit work finish (briefly), then stops the thread. */
    @Deactivate
    void stop() throws InterruptedException {
        UnitEngine.executor(null);
        afterCommit.shutdown();
        afterCommit.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public <T> T call(Supplier<T> work) {
        return UnitEngine.call(work);
    }

    @Override
    public <T> T independent(Supplier<T> work) {
        return UnitEngine.independent(work);
    }

    @Override
    public Optional<String> current() {
        return UnitEngine.currentId();
    }

    @Override
    public void beforeCommit(Runnable check) {
        UnitEngine.beforeCommit(check);
    }

    @Override
    public void afterCommit(Runnable action) {
        UnitEngine.afterCommit(action);
    }

    @Override
    public void onIncomplete(Runnable compensation) {
        UnitEngine.onIncomplete(compensation);
    }
}
