package dev.mamori.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.db.Migrations;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.TestDatabase;

/** The job service on real databases (H2, and PostgreSQL for two nodes), outside OSGi. */
class JobServiceImplTest extends JobTestSupport {
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @TempDir
    java.nio.file.Path dir;

    final MutableClock clock = new MutableClock(TOKYO);
    final List<MamoriEvent> events = new CopyOnWriteArrayList<>();
    final EventPublisher publisher = b -> {
        MamoriEvent e = b.build(clock.instant(), ExecutionContext.current().orElse(null));
        events.add(e);
        return e;
    };
    final List<JobServiceImpl> services = new ArrayList<>();
    final List<TestDatabase> databases = new ArrayList<>();

    static final JobType<String, Integer> COUNT = JobType.of("test.count", String.class, Integer.class);
    // reads and cancels are scoped by the caller's context: the test thread is the platform
    ExecutionContext.Binding platform;

    @org.junit.jupiter.api.BeforeEach
    void bind() {
        platform = ExecutionContext.bind(ExecutionContext.system("test"));
    }

    @AfterEach
    void stop() {
        platform.close();
        services.forEach(JobServiceImpl::deactivate);
        databases.forEach(TestDatabase::close);
    }

    DataSource h2() {
        TestDatabase db = TestDatabase.h2(dir, "jobs");
        databases.add(db);
        return migrated(db.dataSource());
    }

    DataSource postgres() {
        TestDatabase db = TestDatabase.postgres("jobs");
        databases.add(db);
        return migrated(db.dataSource());
    }

    static DataSource migrated(DataSource ds) {
        Migrations.migrate(ds, JobServiceImpl.class, "dev/mamori/platform/schema", "mamori_schema_platform");
        return ds;
    }

    JobServiceImpl service(DataSource ds, String node, JobHandler<?, ?> handler) {
        return service(ds, node, handler, null);
    }

    JobServiceImpl service(DataSource ds, String node, JobHandler<?, ?> handler, String schedule) {
        JobServiceImpl s = new JobServiceImpl(ds, publisher,
                new JobServiceImpl.Settings(2, Duration.ofMillis(50), Duration.ofSeconds(30), node), clock);
        services.add(s);
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(org.osgi.framework.Constants.SERVICE_ID, (long) services.size());
        if (schedule != null) {
            props.put(JobHandler.SCHEDULE, schedule);
        }
        s.bindHandler(handler, props);
        s.tenantDirectory(directory(List.of()));
        s.start();
        return s;
    }

    /** Counts to {@code steps} one step at a time; the cursor is the count. */
    static final class Counter implements JobHandler<String, Integer> {
        final int steps;
        final JobType<String, Integer> type;
        final List<String> cursors = new CopyOnWriteArrayList<>();
        final List<String> principals = new CopyOnWriteArrayList<>();
        final List<String> tenants = new CopyOnWriteArrayList<>();
        volatile Function<JobRun<String, Integer>, JobStep<Integer>> override;

        Counter(int steps) {
            this(steps, COUNT);
        }

        Counter(int steps, JobType<String, Integer> type) {
            this.steps = steps;
            this.type = type;
        }

        @Override
        public JobType<String, Integer> type() {
            return type;
        }

        @Override
        public JobStep<Integer> step(JobRun<String, Integer> run) {
            cursors.add(run.cursor().map(String::valueOf).orElse("-"));
            principals.add(ExecutionContext.require().principal().map(Principal::id).orElse("?"));
            tenants.add(ExecutionContext.require().tenantId().orElse("-"));
            if (override != null) {
                JobStep<Integer> s = override.apply(run);
                if (s != null) {
                    return s;
                }
            }
            int at = run.cursor().orElse(0) + 1;
            return at >= steps ? JobStep.<Integer>finished("counted to " + at).withDone(1).withResult(String.valueOf(at))
                    : JobStep.progress(at, 1).withTotal((long) steps);
        }
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    @DisplayName("EXT-1: a job runs step by step to DONE with its checkpoints, progress and result, as the system, and is recorded as events")
    void runsToTheEnd() throws Exception {
        Counter counter = new Counter(5);
        JobServiceImpl s = service(h2(), "n1", counter);
        JobInfo submitted = ExecutionContext.builder(dev.mamori.platform.context.Channel.SHELL)
                .principal(Principal.operator("alice", Set.of("operator"))).clientIp("10.0.0.7").build()
                .call(() -> s.submit(JobRequest.of(COUNT, "p").tenant("t-1")));
        assertEquals("operator:alice", submitted.requestedBy());
        JobInfo done = await(s, submitted.id(), JobState.DONE);
        assertEquals(List.of("-", "1", "2", "3", "4"), counter.cursors);
        assertEquals(5, done.done());
        assertEquals(5L, done.total());
        assertEquals("5", done.result());
        assertEquals("counted to 5", done.detail());
        assertTrue(done.finishedAt() != null);
        assertEquals(Set.of("alice"), Set.copyOf(counter.principals), "steps run as the submitter");
        assertEquals(Set.of("t-1"), Set.copyOf(counter.tenants), "with the job's tenant bound");
        MamoriEvent sub = events.stream().filter(e -> e.is(PlatformEvents.JOB_SUBMITTED)).findFirst().orElseThrow();
        assertEquals("alice", sub.principalId().orElseThrow());
        assertEquals("10.0.0.7", sub.clientIp().orElseThrow());
        assertEquals("t-1", sub.tenantId().orElseThrow());
        until("end event", () -> events.stream().anyMatch(e -> e.is(PlatformEvents.JOB_ENDED)
                && e.outcome() == MamoriEvent.Outcome.SUCCESS && e.targetId().orElse("").equals(submitted.id())));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue #15: a job submitted in an action that rolls back never runs; one whose action commits runs")
    void submitJoinsTheCallersUnitOfWork() throws Exception {
        DataSource pool = h2();
        Counter counter = new Counter(1);
        JobServiceImpl s = service(pool, "n1", counter);
        dev.mamori.platform.db.UnitOfWork units = dev.mamori.platform.db.UnitOfWork.get();
        java.util.concurrent.atomic.AtomicReference<String> rolledBack = new java.util.concurrent.atomic.AtomicReference<>();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> units.run(() -> {
            rolledBack.set(s.submit(JobRequest.of(COUNT, "never")).id());
            throw new IllegalStateException("the action fails after submitting");
        }));
        assertTrue(s.find(rolledBack.get()).isEmpty(), "no job row");
        String committed = units.call(() -> s.submit(JobRequest.of(COUNT, "yes")).id());
        assertEquals(JobState.DONE, await(s, committed, JobState.DONE).state());
        assertTrue(s.find(rolledBack.get()).isEmpty());
    }

    @Test
    @DisplayName("EXT-1: one open job per type and key; a FAILED job submitted again resumes from its last checkpoint")
    void keysAndResume() throws Exception {
        Counter counter = new Counter(4);
        AtomicBoolean fail = new AtomicBoolean(true);
        counter.override = run -> {
            if (run.cursor().orElse(-1) == 2 && fail.get()) {
                throw new IllegalStateException("disk full");
            }
            return null;
        };
        JobServiceImpl s = service(h2(), "n1", counter);
        JobInfo first = s.submit(JobRequest.of(COUNT, "").key("tenant-a"));
        JobInfo failed = await(s, first.id(), JobState.FAILED);
        assertEquals("disk full", failed.detail());
        assertEquals(2, failed.done());
        assertTrue(events.stream().anyMatch(e -> e.is(PlatformEvents.JOB_ENDED) && e.outcome() == MamoriEvent.Outcome.FAILURE));
        fail.set(false);
        JobInfo resumed = s.submit(JobRequest.of(COUNT, "").key("tenant-a"));
        assertEquals(first.id(), resumed.id(), "the same job, not a new one");
        await(s, first.id(), JobState.DONE);
        assertEquals(List.of("-", "1", "2", "2", "3"), counter.cursors, "resumed at the checkpoint 2, not from the start");
        JobInfo next = s.submit(JobRequest.of(COUNT, "").key("tenant-a"));
        assertNotEquals(first.id(), next.id(), "a DONE job frees its key");
        await(s, next.id(), JobState.DONE);
        JobInfo other = s.submit(JobRequest.of(COUNT, "").key("tenant-b"));
        assertNotEquals(next.id(), other.id());
    }

    @Test
    @DisplayName("EXT-1: a waiting job runs again when woken; an unavailable dependency makes it wait, not fail")
    void waitAndWake() throws Exception {
        Counter counter = new Counter(2);
        AtomicInteger mode = new AtomicInteger(0);
        counter.override = run -> {
            if (mode.get() == 0) {
                return JobStep.waiting("waiting for the vault", Duration.ofHours(1));
            }
            if (mode.get() == 1) {
                throw new MamoriException(PlatformErrors.SCHEMA_NOT_READY, "schema not ready", null, Duration.ofHours(1));
            }
            return null;
        };
        JobServiceImpl s = service(h2(), "n1", counter);
        JobInfo job = s.submit(JobRequest.of(COUNT, ""));
        assertEquals("waiting for the vault", await(s, job.id(), JobState.WAITING).detail());
        int calls = counter.cursors.size();
        Thread.sleep(300);
        assertEquals(calls, counter.cursors.size(), "not run again before it is due");
        mode.set(1);
        s.wake(COUNT);
        until("second wait", () -> counter.cursors.size() > calls);
        JobInfo waiting = await(s, job.id(), JobState.WAITING);
        assertEquals("schema not ready", waiting.detail());
        mode.set(2);
        clock.advance(Duration.ofHours(2));
        assertEquals(2, await(s, job.id(), JobState.DONE).done());
    }

    @Test
    @DisplayName("EXT-1: a cancel waits for the step in flight; no step runs after it; a finished or unknown job cannot be cancelled")
    void cancelWaitsForTheStep() throws Exception {
        Counter counter = new Counter(100);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        counter.override = run -> {
            if (run.cursor().orElse(-1) == 1) {
                inStep.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        };
        JobServiceImpl s = service(h2(), "n1", counter);
        JobInfo job = ExecutionContext.system("test").call(() -> s.submit(JobRequest.of(COUNT, "")));
        assertTrue(inStep.await(30, TimeUnit.SECONDS));
        java.util.concurrent.CompletableFuture<JobInfo> cancel = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> ExecutionContext.system("test").call(() -> s.cancel(job.id())));
        Thread.sleep(300);
        assertFalse(cancel.isDone(), "the cancel waits while the step holds the job");
        release.countDown();
        assertEquals(JobState.CANCELLED, cancel.get(30, TimeUnit.SECONDS).state());
        Thread.sleep(300);
        assertEquals(List.of("-", "1"), counter.cursors, "no step after the cancel");
        assertEquals(2, s.find(job.id()).orElseThrow().done(), "the step in flight was checkpointed before the cancel");
        assertEquals(PlatformErrors.JOB_FINISHED.code(), assertThrows(MamoriException.class, () -> s.cancel(job.id())).code());
        assertEquals(PlatformErrors.NO_SUCH_JOB.code(), assertThrows(MamoriException.class, () -> s.cancel("nope")).code());
        assertTrue(events.stream().anyMatch(e -> e.is(PlatformEvents.JOB_CANCELLED)));
    }

    @Test
    @DisplayName("EXT-1, OPS-4: a node killed in the middle of a step: another node takes the job over when the lease ends and resumes at the last checkpoint")
    void killedNodeResumesElsewhere() throws Exception {
        DataSource ds = h2();
        Counter counter = new Counter(4);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Set<String> nodes = ConcurrentHashMap.newKeySet();
        counter.override = run -> {
            if (run.cursor().orElse(-1) == 2 && inStep.getCount() > 0) {
                inStep.countDown();
                try {
                    never.await(); // node A hangs here until it is "killed"
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("node died");
            }
            return null;
        };
        Killable a = new Killable(ds);
        JobServiceImpl nodeA = service(a, "node-a", counter);
        JobInfo job = nodeA.submit(JobRequest.of(COUNT, ""));
        assertTrue(inStep.await(30, TimeUnit.SECONDS));
        a.kill();
        never.countDown();
        // node B sees a leased job and leaves it alone until the lease has run out
        JobServiceImpl nodeB = service(ds, "node-b", counter);
        Thread.sleep(300);
        assertEquals(3, counter.cursors.size());
        clock.advance(Duration.ofSeconds(31));
        JobInfo done = await(nodeB, job.id(), JobState.DONE);
        assertEquals(List.of("-", "1", "2", "2", "3"), counter.cursors, "the lost step ran again from checkpoint 2");
        assertEquals(4, done.done());
    }

    @Test
    @DisplayName("EXT-1, OPS-4: two nodes on one PostgreSQL database never run one job on two threads, and commit every step once")
    void twoNodesOnePostgres() throws Exception {
        DataSource ds = postgres();
        twoNodes(ds);
    }

    @Test
    @DisplayName("EXT-1, OPS-4: two nodes on one H2 database never run one job on two threads, and commit every step once")
    void twoNodesOneH2() throws Exception {
        twoNodes(h2());
    }

    private void twoNodes(DataSource ds) throws Exception {
        // what a step commits: a row per (job, checkpoint) in the step's own transaction, so that a step
        // whose commit a database conflict refused (and that therefore runs again) counts once, and a
        // checkpoint committed twice breaks the primary key
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE test_step_log (job_id VARCHAR(36) NOT NULL, at_cursor VARCHAR(8) NOT NULL, "
                    + "PRIMARY KEY (job_id, at_cursor))");
        }
        dev.mamori.platform.db.UnitDataSource unit = new dev.mamori.platform.db.UnitDataSource(
                dev.mamori.platform.db.UnitDataSource.MAIN_STORE, ds);
        Map<String, AtomicBoolean> inFlight = new ConcurrentHashMap<>();
        Set<String> overlaps = ConcurrentHashMap.newKeySet();
        JobType<String, Integer> two = JobType.of("test.two", String.class, Integer.class);
        JobHandler<String, Integer> handler = handler(two, run -> {
            AtomicBoolean busy = inFlight.computeIfAbsent(run.id(), k -> new AtomicBoolean());
            if (!busy.compareAndSet(false, true)) {
                overlaps.add(run.id());
            }
            try (java.sql.Connection c = unit.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO test_step_log (job_id, at_cursor) VALUES (?, ?)")) {
                Thread.sleep(2);
                ps.setString(1, run.id());
                ps.setString(2, run.cursor().map(String::valueOf).orElse("-"));
                ps.executeUpdate();
                int at = run.cursor().orElse(0) + 1;
                return at >= 5 ? JobStep.<Integer>finished("ok").withDone(1) : JobStep.progress(at, 1);
            } catch (InterruptedException | java.sql.SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                busy.set(false);
            }
        });
        JobServiceImpl n1 = service(ds, "node-1", handler);
        JobServiceImpl n2 = service(ds, "node-2", handler);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add((i % 2 == 0 ? n1 : n2).submit(JobRequest.of(two, "")).id());
        }
        for (String id : ids) {
            assertEquals(5, awaitRecovering(n1, id).done());
        }
        assertEquals(Set.of(), overlaps, "no job ran on two threads at once");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT job_id) FROM test_step_log")) {
            rs.next();
            assertEquals(30 * 5, rs.getInt(1), "every step committed exactly once");
            assertEquals(30, rs.getInt(2));
        }
    }

    /**
     * Waits for a job to end while time stands still for the leases, as {@link JobTestSupport#await} does; but
     * should a job make no progress for 5 s (a runner given up on a transient database conflict under load,
     * seen once in CI), time moves past the lease, as it would in production, so that the designed
     * recovery - another poll takes the job over from its last checkpoint - is what the test then checks
     * too: still never two threads on one job, still every step once.
     */
    private JobInfo awaitRecovering(JobServiceImpl s, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long lastDone = -1;
        long lastChange = System.nanoTime();
        JobInfo j = null;
        while (System.nanoTime() < deadline) {
            j = s.find(id).orElseThrow();
            if (j.state() == JobState.DONE) {
                return j;
            }
            if (j.done() != lastDone) {
                lastDone = j.done();
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5)) {
                clock.advance(Duration.ofSeconds(31));
                lastChange = System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never reached DONE: " + j);
    }

    @Test
    @DisplayName("EXT-1, AUD-6: a schedule fires at 01:00 Tokyo time, once per firing across two nodes, and never overlaps a run still open")
    void schedulesInTheConfiguredZone() throws Exception {
        DataSource ds = h2();
        clock.set(ZonedDateTime.of(2026, 3, 1, 0, 59, 0, 0, TOKYO).toInstant());
        JobType<JobType.None, Integer> nightly = JobType.of("test.nightly", JobType.None.class, Integer.class);
        JobHandler<JobType.None, Integer> counter = handler(nightly, run -> JobStep.finished("ok"));
        JobServiceImpl n1 = service(ds, "node-1", counter, "0 0 1 * * ?");
        JobServiceImpl n2 = service(ds, "node-2", counter, "0 0 1 * * ?");
        Thread.sleep(300);
        assertEquals(List.of(), n1.list("test.nightly", null, 10), "not before 01:00");
        clock.set(ZonedDateTime.of(2026, 3, 1, 1, 0, 1, 0, TOKYO).toInstant());
        until("one run", () -> n1.list("test.nightly", null, 10).size() == 1);
        Thread.sleep(300);
        assertEquals(1, n2.list("test.nightly", null, 10).size(), "two nodes, one run");
        await(n1, n1.list("test.nightly", null, 10).get(0).id(), JobState.DONE);
        assertEquals("system:jobs.schedule", n1.list("test.nightly", null, 10).get(0).requestedBy());
        clock.set(ZonedDateTime.of(2026, 3, 2, 0, 30, 0, 0, TOKYO).toInstant());
        Thread.sleep(300);
        assertEquals(1, n1.list("test.nightly", null, 10).size(), "nothing at 00:30 the next day");
        clock.set(ZonedDateTime.of(2026, 3, 2, 1, 0, 0, 0, TOKYO).toInstant());
        until("second run", () -> n1.list("test.nightly", null, 10).size() == 2);
    }

    /** A DataSource whose connections can be cut at once, as a node's are when its JVM dies. */
    static final class Killable implements DataSource {
        private final DataSource delegate;
        private final Set<Connection> open = Collections.newSetFromMap(new ConcurrentHashMap<>());
        private volatile boolean dead;

        Killable(DataSource delegate) {
            this.delegate = delegate;
        }

        void kill() throws Exception {
            dead = true;
            for (Connection c : open) {
                c.close();
            }
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            if (dead) {
                throw new java.sql.SQLException("node is dead");
            }
            Connection c = delegate.getConnection();
            open.add(c);
            InvocationHandler h = (proxy, m, args) -> {
                if (dead && !m.getName().equals("close")) {
                    throw new java.sql.SQLException("node is dead");
                }
                if (m.getName().equals("close")) {
                    open.remove(c);
                }
                try {
                    return m.invoke(c, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        }

        @Override
        public Connection getConnection(String u, String p) throws java.sql.SQLException {
            return getConnection();
        }

        @Override public java.io.PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(java.io.PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public java.util.logging.Logger getParentLogger() { return null; }
        @Override public <T> T unwrap(Class<T> iface) { return null; }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
