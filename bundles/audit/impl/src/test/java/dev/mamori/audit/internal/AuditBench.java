package dev.mamori.audit.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.mamori.audit.AuditVerification;
import dev.mamori.audit.Proof;
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.Roles;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.EventEncoding;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.internal.UnitEngine;
import dev.mamori.testsupport.Postgres;

/**
 * Load driver of the audit log (issue #16, "Targets"), compiled with the tests so that it cannot
 * rot, run only when invoked ({@code itests/bench/audit.sh}, or {@code -Pbenchmark}, see the pom):
 * <pre>
 * append --db pg|h2 --writers 1,4,16 --seconds 10 --warmup 3 [--integrate during|after]
 *        [--pool 16] [--validate true] [--url-params ?...] [--dir H2-FOLDER] [--keep]
 * verify --db pg|h2 --entries 1000000 [--proofs 1000] [--verify-runs 3] [--keep] [--reuse DB]
 * event                                  (prints one benchmark event and its sizes)
 * classpath                              (prints this JVM's class path: what the script runs it with)
 * </pre>
 * {@code append}: W threads publish standalone events (the fixture's publisher, as the platform's
 * does outside a unit of work: {@link AuditRecorder#recordStandalone}, group commit) for a fixed
 * time after a warm-up, each on a fresh database over a pool like the distribution's (16
 * connections, validated when borrowed); an append counts once the call returned, i.e. once its
 * row committed. With {@code --integrate during} (as in the container) the engine integrates
 * after each commit on one after-commit thread while the writers go on; with {@code after} the
 * backlog is left pending and its integration into the tree is timed alone afterwards.
 * {@code verify}: builds a log of N entries through the real path (events in the pending table,
 * the {@link Integrator} moving them into the tree 2000 at a time, a checkpoint signed after each
 * pass as the engine does), then times the service's full verification as the tenant's
 * administrator, inclusion proofs and consistency proofs between its checkpoints (each proof
 * verified against a signed root). {@code --keep} leaves the database, {@code --reuse NAME} takes
 * it up again (checkpoint keys are derived from the log's name, so a later run verifies them).
 * Where PostgreSQL's autovacuum is off, the queue table is vacuumed every 10 s as autovacuum would.
 * Results are printed as {@code RESULT key=value} lines (for the script) after readable ones.
 */
public final class AuditBench {
    /** The tenant whose log the benchmark fills. */
    static final String TENANT = "5b0c7d1e-2f3a-4b5c-8d6e-7f8091a2b3c4";
    private static final String USER_AGENT = "Mozilla/5.0 (Android 14; Mobile) Firefox/133.0";

    private AuditBench() {
    }

    /** Command-line options. */
    static final class Opts {
        String command;
        String db = "pg";
        int[] writers = {1, 4, 16};
        double seconds = 10;
        double warmup = 3;
        String integrate = "during";
        long entries = 1_000_000;
        int proofs = 1000;
        int verifyRuns = 3;
        boolean keep;
        String reuse;
        Path dir;
        int pool = 16;
        boolean validate = true;
        String urlParams = "";

        static Opts parse(String[] args) {
            Opts o = new Opts();
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: append|verify|event [options] (see the class comment)");
            }
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                String v = a.equals("--keep") ? null : args[++i];
                switch (a) {
                    case "--db" -> o.db = v;
                    case "--writers" -> o.writers = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--seconds" -> o.seconds = Double.parseDouble(v);
                    case "--warmup" -> o.warmup = Double.parseDouble(v);
                    case "--integrate" -> o.integrate = v;
                    case "--entries" -> o.entries = Long.parseLong(v.replace("_", ""));
                    case "--proofs" -> o.proofs = Integer.parseInt(v);
                    case "--verify-runs" -> o.verifyRuns = Integer.parseInt(v);
                    case "--keep" -> o.keep = true;
                    case "--reuse" -> o.reuse = v;
                    case "--dir" -> o.dir = Path.of(v);
                    case "--pool" -> o.pool = Integer.parseInt(v);
                    case "--validate" -> o.validate = Boolean.parseBoolean(v);
                    case "--url-params" -> o.urlParams = v;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!o.db.equals("pg") && !o.db.equals("h2")) {
                throw new IllegalArgumentException("--db pg or h2");
            }
            if (!o.integrate.equals("during") && !o.integrate.equals("after")) {
                throw new IllegalArgumentException("--integrate during or after");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        switch (o.command) {
            case "append" -> append(o);
            case "verify" -> verify(o);
            case "classpath" -> System.out.println("CLASSPATH " + System.getProperty("java.class.path"));
            case "event" -> {
                ExecutionContext ctx = ctx(0);
                byte[] e = EventEncoding.encode(event(ctx, 0).build(java.time.Clock.systemUTC(), ctx));
                System.out.println(new String(e, java.nio.charset.StandardCharsets.UTF_8));
                result("event_bytes", e.length);
                result("canonical_entry_bytes", dev.mamori.audit.proof.CanonicalEntry.canonical(TENANT, 1_234_567,
                        new String(e, java.nio.charset.StandardCharsets.UTF_8)).length);
            }
            default -> throw new IllegalArgumentException("unknown command " + o.command);
        }
        System.exit(0);
    }

    // ---- the events

    /** The context of writer {@code i}: a signed-in user of the tenant, on REST, with its address and browser. */
    static ExecutionContext ctx(int i) {
        return ExecutionContext.builder(Channel.REST).principal(Principal.user(String.format("u-%08x", i * 2654435761L & 0xffffffffL), TENANT,
                Set.of()))
                .tenant(TENANT).clientIp("203.0.113." + (i % 250 + 1)).userAgent(USER_AGENT).build();
    }

    /**
     * An auth.sign-in.failed-like event of the writer's user (a second factor refused): about
     * canonical bytes with its id, time, request id, actor, address and browser (420), 490 as a log entry.
     */
    static MamoriEvent.Builder event(ExecutionContext ctx, long n) {
        return MamoriEvent.builder(AuthEvents.SIGN_IN_FAILED).outcome(MamoriEvent.Outcome.FAILURE).tenant(TENANT)
                .detail("step", "totp").detail("reason", "wrong-code");
    }

    static ExecutionContext admin() {
        return ExecutionContext.builder(Channel.REST).principal(Principal.user("bench-admin", TENANT, Set.of(Roles.TENANT_ADMIN)))
                .tenant(TENANT).clientIp("203.0.113.250").userAgent("audit-bench/1.0").build();
    }

    // ---- the databases

    /** A database for one phase: a PostgreSQL database this run creates (and drops), or an H2 file. */
    static final class Db implements AutoCloseable {
        final String url;
        final String user;
        final String name;
        final Path dir;
        final boolean drop;

        private Db(String url, String user, String name, Path dir, boolean drop) {
            this.url = url;
            this.user = user;
            this.name = name;
            this.dir = dir;
            this.drop = drop;
        }

        static Db open(Opts o, String label) throws Exception {
            if (o.db.equals("pg")) {
                if (o.reuse != null) {
                    return new Db(Postgres.url(o.reuse) + o.urlParams, Postgres.USER, o.reuse, null, false);
                }
                String name = "mamori_bench_" + label + "_" + UUID.randomUUID().toString().substring(0, 8);
                pgAdmin("CREATE DATABASE " + name);
                return new Db(Postgres.url(name) + o.urlParams, Postgres.USER, name, null, !o.keep);
            }
            Path dir = o.dir != null ? o.dir : Files.createTempDirectory("mamori-audit-bench");
            Files.createDirectories(dir);
            String name = o.reuse != null ? o.reuse : label;
            return new Db("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0", "sa", name, dir, !o.keep && o.reuse == null);
        }

        boolean postgres() {
            return dir == null;
        }

        @Override
        public void close() throws Exception {
            if (!drop) {
                System.out.println("kept database " + (postgres() ? name : url));
                return;
            }
            if (postgres()) {
                pgAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "' AND pid <> pg_backend_pid()");
                pgAdmin("DROP DATABASE IF EXISTS " + name);
            } else {
                try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException e) {
                    // closed already
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.filter(p -> p.getFileName().toString().startsWith(name + ".")).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                if (dir.getFileName().toString().startsWith("mamori-audit-bench")) {
                    try (Stream<Path> left = Files.list(dir)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(dir); // the temporary folder this run made
                        }
                    }
                }
            }
        }
    }

    static void pgAdmin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(Postgres.url("postgres"), Postgres.USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void settings(Db db, Connection c) throws SQLException {
        System.out.println("java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        if (db.postgres()) {
            Map<String, String> s = new LinkedHashMap<>();
            for (String k : List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method", "commit_delay", "full_page_writes",
                    "shared_buffers")) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + k)) {
                    rs.next();
                    s.put(k, rs.getString(1));
                }
            }
            System.out.println("PostgreSQL " + s);
            result("pg_synchronous_commit", s.get("synchronous_commit"));
            if (!"on".equals(s.get("synchronous_commit")) || !"on".equals(s.get("fsync"))) {
                System.out.println("WARNING: commits are not durable with these settings: the figures are not the benchmark's");
            }
        } else {
            System.out.println("H2 " + c.getMetaData().getDatabaseProductVersion() + " " + db.url
                    + " (WRITE_DELAY=0, as the distribution ships it: each commit is written to the file before it returns, but not "
                    + "synced to the disk - strace counts a few fsync calls per thousands of commits - so it survives a crash of the "
                    + "process, not of the machine; PostgreSQL's commits here wait for fdatasync)");
        }
    }

    /**
     * When the server's autovacuum is off (as on some test machines), vacuums the queue table
     * every 10 s as autovacuum would (the integrator reads it by index and deletes what it read:
     * without vacuum its dead rows pile up and every read gets slower); nothing when it is on.
     *
     * @return what stops it
     */
    static AutoCloseable vacuum(Db db, BenchPool pool) throws SQLException {
        if (!db.postgres()) {
            return () -> {
            };
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            if (rs.getString(1).equals("on")) {
                return () -> {
                };
            }
        }
        System.out.println("autovacuum is off on this server: mamori_audit_pending is vacuumed every 10 s, as autovacuum would");
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(10_000);
                    try (Connection c = DriverManager.getConnection(db.url, db.user, ""); Statement s = c.createStatement()) {
                        s.execute("VACUUM mamori_audit_pending");
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    System.out.println("vacuum failed: " + e);
                }
            }
        }, "vacuum");
        t.setDaemon(true);
        t.start();
        return () -> {
            stop.set(true);
            t.interrupt();
            t.join();
        };
    }

    static AuditFixture fixture(BenchPool pool) {
        AuditFixture f = new AuditFixture(pool, () -> {
        }, AuditFixture.config("mamori.bench/audit", 1000, 5, 12), false);
        f.signer.derived = true;
        return f;
    }

    // ---- append

    static void append(Opts o) throws Exception {
        boolean printed = false;
        for (int w : o.writers) {
            try (Db db = Db.open(o, "append" + w); BenchPool pool = new BenchPool(db.url, db.user, o.pool, o.validate);
                    AutoCloseable vacuum = vacuum(db, pool)) {
                AuditFixture f = fixture(pool);
                if (!printed) {
                    try (Connection c = pool.getConnection()) {
                        settings(db, c);
                    }
                    printed = true;
                }
                appendPhase(o, db, pool, f, w);
            }
        }
    }

    static void appendPhase(Opts o, Db db, BenchPool pool, AuditFixture f, int writers) throws Exception {
        boolean during = o.integrate.equals("during");
        // as the platform's UnitOfWorkComponent: one after-commit thread, a bounded queue
        ThreadPoolExecutor afterCommit = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "mamori-after-commit");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        Executor none = r -> {
        };
        UnitEngine.executor(during ? afterCommit : none);
        GroupCommit group = f.recorder.groupCommit();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicLongArray counts = new AtomicLongArray(writers);
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long[][] latencies = new long[writers][];
        int[] latencyCount = new int[writers];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int k = i;
            latencies[k] = new long[1 << 16];
            Thread t = new Thread(() -> {
                ExecutionContext ctx = ctx(k);
                long n = (long) k << 40;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        MamoriEvent.Builder b = event(ctx, n++);
                        ctx.run(() -> f.events.publish(b));
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                        continue;
                    }
                    long dt = System.nanoTime() - t0;
                    counts.incrementAndGet(k);
                    if (measuring.get()) {
                        if (latencyCount[k] == latencies[k].length) {
                            latencies[k] = Arrays.copyOf(latencies[k], latencies[k].length * 2);
                        }
                        latencies[k][latencyCount[k]++] = dt;
                    }
                }
            }, "writer-" + i);
            threads.add(t);
        }
        String label = (db.postgres() ? "pg" : "h2") + " w" + writers;
        System.out.printf(Locale.ROOT, "== append %s: %d writer(s), %.0f s warm-up, %.0f s measured, integration %s%n", label, writers, o.warmup,
                o.seconds, during ? "during the load (after each commit, as in the container)" : "after the load");
        threads.forEach(Thread::start);
        sleep(o.warmup);
        long size0 = size(f);
        double[] cpu0 = cpu(db, pool);
        long c0 = sum(counts);
        long[] g0 = {group.flushes.sum(), group.flushedRows.sum(), group.flushNanos.sum()};
        long t0 = System.nanoTime();
        measuring.set(true);
        sleep(o.seconds);
        measuring.set(false);
        long c1 = sum(counts);
        long t1 = System.nanoTime();
        long[] g1 = {group.flushes.sum(), group.flushedRows.sum(), group.flushNanos.sum()};
        long size1 = size(f);
        double[] cpu1 = cpu(db, pool);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long acked = sum(counts);
        long backlog = acked - size(f);
        double secs = (t1 - t0) / 1e9;
        double rate = (c1 - c0) / secs;
        long[] all = merge(latencies, latencyCount);
        long flushes = g1[0] - g0[0];
        double batch = flushes == 0 ? 0 : (double) (g1[1] - g0[1]) / flushes;
        double flushMs = flushes == 0 ? 0 : (g1[2] - g0[2]) / 1e6 / flushes;
        System.out.printf(Locale.ROOT, "appends: %d in %.2f s = %.0f/s durable, latency p50 %.2f ms p99 %.2f ms; %d flushes, %.1f rows "
                + "per flush, %.2f ms per flush; failures %d%n", c1 - c0, secs, rate, pct(all, 50), pct(all, 99), flushes, batch, flushMs,
                failures.get());
        double jvmUs = (cpu1[0] - cpu0[0]) * 1e6 / Math.max(1, c1 - c0);
        double dbUs = (cpu1[1] - cpu0[1]) * 1e6 / Math.max(1, c1 - c0);
        System.out.printf(Locale.ROOT, "CPU per append: %.1f us in this JVM + %.1f us in the database's backends%s; load average %s%n",
                jvmUs, dbUs, db.postgres() ? "" : " (embedded)", loadAverage());
        if (firstFailure.get() != null) {
            System.out.println("first failure: " + firstFailure.get());
        }
        String key = "append_" + (db.postgres() ? "pg" : "h2") + "_w" + writers;
        result(key + "_per_s", Math.round(rate));
        result(key + "_p50_ms", fmt(pct(all, 50)));
        result(key + "_p99_ms", fmt(pct(all, 99)));
        result(key + "_batch", fmt(batch));
        result(key + "_flush_ms", fmt(flushMs));
        result(key + "_failures", failures.get());
        result(key + "_cpu_us", fmt(jvmUs + dbUs));

        // the backlog: what was appended but is not in the tree yet
        long stopAt = System.nanoTime();
        afterCommit.shutdown();
        afterCommit.awaitTermination(10, TimeUnit.MINUTES);
        UnitEngine.executor(null);
        long before = size(f);
        double[] cpu2 = cpu(db, pool);
        long t2 = System.nanoTime();
        while (f.engine.integrateAndCheckpoint(1000) > 0) {
            // until nothing is pending
        }
        long t3 = System.nanoTime();
        double[] cpu3 = cpu(db, pool);
        long sizeEnd = size(f);
        if (during) {
            double during_ = (size1 - size0) / secs;
            System.out.printf(Locale.ROOT, "integration during the load: %.0f entries/s into the tree (%d not yet in the tree when the "
                    + "writers stopped, all in it %.2f s later)%n", during_, backlog, (t3 - stopAt) / 1e9);
            result(key + "_integrated_during_per_s", Math.round(during_));
            result(key + "_backlog_at_stop", backlog);
            result(key + "_drain_s", fmt((t3 - stopAt) / 1e9));
        } else {
            double irate = (sizeEnd - before) / ((t3 - t2) / 1e9);
            long n = Math.max(1, sizeEnd - before);
            System.out.printf(Locale.ROOT, "integration of the backlog: %d entries in %.2f s = %.0f entries/s; CPU per entry %.1f us in "
                    + "this JVM + %.1f us in the database's backends%n", sizeEnd - before, (t3 - t2) / 1e9, irate,
                    (cpu3[0] - cpu2[0]) * 1e6 / n, (cpu3[1] - cpu2[1]) * 1e6 / n);
            result(key + "_integrated_per_s", Math.round(irate));
            result(key + "_integrated_cpu_us", fmt((cpu3[0] - cpu2[0] + cpu3[1] - cpu2[1]) * 1e6 / n));
        }
        if (sizeEnd != acked) {
            System.out.println("ERROR: " + acked + " appends acknowledged but the log holds " + sizeEnd);
            result(key + "_lost", acked - sizeEnd);
        }
    }

    static long size(AuditFixture f) {
        return f.engine.store.read(c -> AuditStore.head(c, TENANT, false)).map(AuditStore.Head::size).orElse(0L);
    }

    static long pending(AuditFixture f) {
        return f.engine.store.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mamori_audit_pending")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- verify and proofs

    static void verify(Opts o) throws Exception {
        try (Db db = Db.open(o, "verify"); BenchPool pool = new BenchPool(db.url, db.user, 4, false); AutoCloseable vacuum = vacuum(db, pool)) {
            AuditFixture f = fixture(pool);
            try (Connection c = pool.getConnection()) {
                settings(db, c);
            }
            UnitEngine.executor(null);
            String key = (db.postgres() ? "pg" : "h2") + "_" + label(o.entries);
            long have = size(f);
            if (have < o.entries) {
                build(f, pool, have, o.entries, key);
            } else {
                System.out.println("reusing a log of " + have + " entries");
            }
            f.engine.checkpointer.signIfGrown(TENANT, 1);
            long size = size(f);
            long bytes = db.postgres() ? pgBytes(pool) : -1;
            if (bytes > 0) {
                System.out.printf(Locale.ROOT, "database size %.2f GiB%n", bytes / (double) (1L << 30));
                result("db_" + key + "_gib", fmt(bytes / (double) (1L << 30)));
            }

            List<Double> rates = new ArrayList<>();
            for (int run = 1; run <= o.verifyRuns; run++) {
                long t0 = System.nanoTime();
                AuditVerification v = admin().call(() -> f.service.verify(null, List.of(), null));
                double secs = (System.nanoTime() - t0) / 1e9;
                if (!v.ok() || v.entries() != size) {
                    throw new IllegalStateException("verification failed: " + v);
                }
                double rate = v.entries() / secs;
                rates.add(rate);
                System.out.printf(Locale.ROOT, "verification %d: %d entries, %d checkpoints in %.2f s = %.0f entries/s%n", run, v.entries(),
                        v.checkpoints(), secs, rate);
            }
            rates.sort(Comparator.naturalOrder());
            result("verify_" + key + "_per_s", Math.round(rates.get(rates.size() / 2)));

            proofs(o, f, size, key);
        }
    }

    static String label(long n) {
        return n % 1_000_000 == 0 ? n / 1_000_000 + "m" : n % 1000 == 0 ? n / 1000 + "k" : Long.toString(n);
    }

    /**
     * Fills the pending table (batched inserts, 2000 events a transaction, on a thread of its own)
     * while this thread runs the engine's integration pass (the Integrator, then a checkpoint if the
     * log grew 1000 since the last), until the log holds {@code target} entries.
     */
    static void build(AuditFixture f, BenchPool pool, long from, long target, String key) throws Exception {
        System.out.printf(Locale.ROOT, "building a log of %d entries (from %d) through the pending table and the Integrator%n", target, from);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicLong filled = new AtomicLong(from + pending(f));
        AtomicLong integrated = new AtomicLong(from);
        Thread filler = new Thread(() -> {
            ExecutionContext ctx = ctx(1);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(AuditRecorder.INSERT)) {
                    while (filled.get() < target) {
                        // one batch ahead of the integration at most, as under a steady load: a pass integrates a batch or
                        // so and signs a checkpoint (every 1000 entries or more, as configured), about one per 2000 entries
                        while (filled.get() - integrated.get() >= Integrator.BATCH && failed.get() == null) {
                            Thread.sleep(1);
                        }
                        int n = (int) Math.min(Integrator.BATCH, target - filled.get());
                        for (int i = 0; i < n; i++) {
                            MamoriEvent e = event(ctx, filled.get() + i).build(f.clock, ctx);
                            AuditRecorder.bind(ps, TENANT, EventEncoding.encode(e), e.time().toInstant().toEpochMilli(), e.type(),
                                    e.principalId().orElse(null), e.outcome().name());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                        filled.addAndGet(n);
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "filler");
        long t0 = System.nanoTime();
        long lastReport = t0;
        filler.start();
        while (integrated.get() < target) {
            if (failed.get() != null) {
                throw new IllegalStateException("filling the pending table failed", failed.get());
            }
            if (f.engine.integrateAndCheckpoint(1000) == 0) {
                Thread.sleep(1);
            }
            integrated.set(size(f));
            long now = System.nanoTime();
            if (now - lastReport > 30e9) {
                lastReport = now;
                System.out.printf(Locale.ROOT, "  %d entries, %.0f/s%n", integrated.get(), (integrated.get() - from) / ((now - t0) / 1e9));
            }
        }
        filler.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        double rate = (target - from) / secs;
        System.out.printf(Locale.ROOT, "built: %d entries in %.1f s = %.0f entries/s (filling the pending table and integrating at once)%n",
                target - from, secs, rate);
        result("build_" + key + "_per_s", Math.round(rate));
        // what autovacuum does to a table that grew: statistics and the visibility map, before reading it
        long v0 = System.nanoTime();
        f.engine.store.read(c -> {
            boolean pg = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            try (Statement s = c.createStatement()) {
                s.execute(pg ? "VACUUM ANALYZE mamori_audit_entry" : "ANALYZE");
                if (pg) {
                    s.execute("VACUUM ANALYZE mamori_audit_tile");
                    s.execute("VACUUM ANALYZE mamori_audit_pending");
                }
            }
            return null;
        });
        System.out.printf(Locale.ROOT, "analyzed (VACUUM ANALYZE on PostgreSQL, ANALYZE on H2) in %.1f s%n", (System.nanoTime() - v0) / 1e9);
    }

    static long pgBytes(BenchPool pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void proofs(Opts o, AuditFixture f, long size, String key) {
        List<AuditStore.StoredCheckpoint> cps = f.engine.store.read(c -> AuditStore.checkpoints(c, TENANT));
        AuditStore.StoredCheckpoint last = cps.get(cps.size() - 1);
        if (last.size() != size) {
            throw new IllegalStateException("the last checkpoint is at " + last.size() + ", the log at " + size);
        }
        SplittableRandom random = new SplittableRandom(16);
        ExecutionContext admin = admin();
        int warm = Math.min(200, o.proofs);
        long[] inclusion = new long[o.proofs];
        for (int i = -warm; i < o.proofs; i++) {
            long index = random.nextLong(size);
            long t0 = System.nanoTime();
            Proof p = admin.call(() -> f.service.inclusion(null, index, size, null));
            long dt = System.nanoTime() - t0;
            if (!MerkleTree.verifyInclusion(index, size, p.leafHash(), p.path(), last.root())) {
                throw new IllegalStateException("inclusion proof of " + index + " in " + size + " does not verify");
            }
            if (i >= 0) {
                inclusion[i] = dt;
            }
        }
        Arrays.sort(inclusion);
        System.out.printf(Locale.ROOT, "inclusion proofs in a log of %d: %d random leaves (after %d warm-up), each verified against the "
                + "signed root: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", size, o.proofs, warm, pct(inclusion, 50),
                pct(inclusion, 90), pct(inclusion, 99), pct(inclusion, 100));
        result("inclusion_" + key + "_p50_ms", fmt(pct(inclusion, 50)));
        result("inclusion_" + key + "_p99_ms", fmt(pct(inclusion, 99)));
        result("inclusion_" + key + "_max_ms", fmt(pct(inclusion, 100)));
        if (cps.size() < 2) {
            return;
        }
        long[] consistency = new long[o.proofs];
        for (int i = -warm; i < o.proofs; i++) {
            AuditStore.StoredCheckpoint first = cps.get(random.nextInt(cps.size() - 1));
            long t0 = System.nanoTime();
            Proof p = admin.call(() -> f.service.consistency(null, first.size(), size, null));
            long dt = System.nanoTime() - t0;
            if (!MerkleTree.verifyConsistency(first.size(), size, p.path(), first.root(), last.root())) {
                throw new IllegalStateException("consistency proof " + first.size() + " -> " + size + " does not verify");
            }
            if (i >= 0) {
                consistency[i] = dt;
            }
        }
        Arrays.sort(consistency);
        System.out.printf(Locale.ROOT, "consistency proofs from one of its %d signed checkpoints to %d, verified against both roots: "
                + "median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", cps.size(), size, pct(consistency, 50), pct(consistency, 90),
                pct(consistency, 99), pct(consistency, 100));
        result("consistency_" + key + "_p50_ms", fmt(pct(consistency, 50)));
        result("consistency_" + key + "_p99_ms", fmt(pct(consistency, 99)));
    }

    // ---- helpers

    /** @return {this JVM's CPU seconds, the CPU seconds of the PostgreSQL backends connected to the database (0 for H2)} */
    static double[] cpu(Db db, BenchPool pool) throws SQLException {
        double jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        double pg = 0;
        if (db.postgres()) {
            List<Integer> pids = new ArrayList<>();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            for (int pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    pg += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
                } catch (java.io.IOException | RuntimeException e) {
                    // not local, or gone
                }
            }
        }
        return new double[] {jvm, pg};
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    static long[] merge(long[][] parts, int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        long[] all = new long[n];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    /** @return the percentile of sorted nanoseconds, in ms */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static void result(String key, Object value) {
        System.out.println("RESULT " + key + "=" + value);
    }
}
