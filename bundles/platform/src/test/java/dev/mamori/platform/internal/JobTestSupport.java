package dev.mamori.platform.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobTenants;
import dev.mamori.platform.job.JobType;

/** What the job service's tests share: handlers from functions, waiting for a state, a tenant directory. */
abstract class JobTestSupport {
    /** Every tenant binding the directory made, with the principal it ran as. */
    static final List<String> BOUND = new CopyOnWriteArrayList<>();

    /** A handler from a function. */
    static <P, C> JobHandler<P, C> handler(JobType<P, C> type, Function<JobRun<P, C>, JobStep<C>> f) {
        return new JobHandler<>() {
            @Override
            public JobType<P, C> type() {
                return type;
            }

            @Override
            public JobStep<C> step(JobRun<P, C> run) {
                return f.apply(run);
            }
        };
    }

    /** Binds the tenant as the tenant bundle does (here without its checks), and records each binding. */
    static JobTenants directory(List<String> ids) {
        return new JobTenants() {
            @Override
            public List<String> tenantIds() {
                return ids;
            }

            @Override
            public <T> T inTenant(String tenantId, Supplier<T> work) {
                ExecutionContext ctx = ExecutionContext.require();
                BOUND.add(tenantId + " as " + ctx.principal().map(p -> p.kind() + ":" + p.id()).orElse("?"));
                return ctx.toBuilder().tenant(tenantId).build().call(work);
            }
        };
    }

    static JobInfo await(JobServiceImpl s, String id, JobState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JobInfo j = null;
        while (System.nanoTime() < deadline) {
            j = s.find(id).orElseThrow();
            if (j.state() == state) {
                return j;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never reached " + state + ": " + j);
    }
}
