package dev.mamori.platform.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import dev.mamori.platform.db.UnitOfWork;

/**
 * Registers the {@link UnitOfWork} service ({@link UnitOfWork#get()}, the one implementation) while
 * the thread that runs after-commit work (non-required event listeners among it) is there: one
 * daemon thread with a bounded queue, so that a slow listener never slows an action; past the
 * bound, work is dropped with an ERROR line.
 */
@Component(immediate = true)
public class UnitOfWorkComponent {
    static final int QUEUE = 10_000;
    private final ThreadPoolExecutor afterCommit;
    private final ServiceRegistration<UnitOfWork> registration;

    /** @param context the platform bundle's context: the service is the platform's */
    @Activate
    public UnitOfWorkComponent(BundleContext context) {
        afterCommit = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "mamori-after-commit");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        UnitEngine.executor(afterCommit);
        registration = context.registerService(UnitOfWork.class, UnitOfWork.get(), null);
    }

    /** Withdraws the service, lets queued after-commit work finish (briefly), then stops the thread. */
    @Deactivate
    void stop() throws InterruptedException {
        registration.unregister();
        UnitEngine.executor(null);
        afterCommit.shutdown();
        afterCommit.awaitTermination(5, TimeUnit.SECONDS);
    }
}
