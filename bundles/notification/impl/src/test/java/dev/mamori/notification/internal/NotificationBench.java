package dev.mamori.notification.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.dbcp2.BasicDataSource;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.mamori.notification.DeliveryState;
import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.OutgoingMessage;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.testsupport.MutableClock;
import dev.mamori.testsupport.Postgres;
import dev.mamori.testsupport.TestDatabase;

/**
 * The notification benchmark (issue #19): an incident for every one of N tenants (10,000), the time
 * to queue every notice (one notification per tenant, in one unit of work), then the delivery job's
 * rate to a GreenMail SMTP server over one kept-alive connection, with each tenant's admin also
 * getting the in-app notice. Runs on the services as the fixture wires them: PostgreSQL (or H2) with
 * the bundle's schema and the platform's unit of work; events recorded in memory (in the server they
 * go to the audit log in the same unit) and contacts from memory (in the server they are decrypted
 * from the PII store). Prints FIGURE lines.
 *
 * <pre>mvn -B -f bundles/notification/impl/pom.xml -Pbenchmark test-compile exec:exec -Dbench.args="10000 pg"</pre>
 */
public final class NotificationBench {
    private NotificationBench() {
    }

    private static void smtpOnly(int n, int threads, GreenMail smtp) throws Exception {
        EmailChannel channel = Mail.channel(new MutableClock(ZoneId.of("Asia/Tokyo")),
                Map.of("port", smtp.getSmtp().getPort(), "security", "none", "keep_alive_seconds", 300,
                "connections", threads));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i;
            all.add(pool.submit(() -> channel.deliver(new OutgoingMessage("<m" + k + "@bench>", "n" + k,
                    "incident.notice", "t", "u", "admin" + k + "@t" + k + ".example", null, Locale.JAPANESE, "件名 " + k,
                    "本文\nline 2", "<p>本文</p>"))));
        }
        for (Future<?> f : all) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("FIGURE SMTP alone, %d connections: %d e-mails in %.1f s: %.0f e-mails/s (got %d)%n", threads, n, s, n / s, smtp.getReceivedMessages().length);
        pool.shutdown();
        smtp.stop();
    }

    public static void main(String[] args) throws Exception {
        run(args);
        // GreenMail leaves non-daemon scheduler threads behind, which would keep the JVM up
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String db = args.length > 1 ? args[1] : "pg";
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        if (db.equals("smtp")) {
            // the SMTP path alone: the e-mail channel to GreenMail, on delivery.parallel threads, nothing else
            smtpOnly(n, Integer.getInteger("bench.parallel", 4), smtp);
            return;
        }
        TestDatabase database = db.equals("h2") ? TestDatabase.h2Memory() : TestDatabase.postgres("bench");
        // the distribution's pool and its settings (pool.maxTotal 16, pool.testOnBorrow true)
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(database.url());
        pool.setUsername(db.equals("h2") ? "sa" : Postgres.USER);
        pool.setMaxTotal(16);
        pool.setTestOnBorrow(true);
        NotificationFixture f = new NotificationFixture(database, pool);
        try {
            f.channel("email", Mail.channel(f.clock, Map.of("port", smtp.getSmtp().getPort(), "security", "none",
                    "keep_alive_seconds", 300, "connections", Integer.getInteger("bench.parallel", 4))));
            if (Boolean.getBoolean("bench.nomail")) {
                f.channel("email", m -> DeliveryResult.sent("250 no-op"));
            }
            for (int i = 0; i < n; i++) {
                f.tenant("Tenant " + i, "admin" + i + "@t" + i + ".example", i % 2 == 0 ? "ja" : "en");
            }
            long t0 = System.nanoTime();
            Incident incident = NotificationFixture.asOperator(() -> f.incidents.open(new NewIncident("Bench incident",
                    IncidentStatus.CONFIRMED, f.clock.instant(), null, true, "Everything.", null, null, false)));
            long t1 = System.nanoTime();
            NotificationFixture.asOperator(() -> f.incidents.notifyTenants(incident.id(), "We are on it."));
            long t2 = System.nanoTime();
            System.out.printf("FIGURE open an incident for %d tenants: %d ms%n", n, (t1 - t0) / 1_000_000);
            System.out.printf("FIGURE queue the notice to %d tenants (one unit of work): %d ms%n", n, (t2 - t1) / 1_000_000);

            long d0 = System.nanoTime();
            long[] phases = new long[2];
            long attempts = ExecutionContext.system("job:notification.deliver").call(() -> {
                long a = 0;
                while (true) {
                    long p0 = System.nanoTime();
                    int expanded = f.delivery.expand();
                    long p1 = System.nanoTime();
                    int sent = f.delivery.send(null);
                    phases[0] += p1 - p0;
                    phases[1] += System.nanoTime() - p1;
                    a += sent;
                    if (expanded == 0 && sent == 0) {
                        return a;
                    }
                }
            });
            System.out.printf("FIGURE of which writing the deliveries (recipients found): %d ms, attempts and their records: %d ms%n",
                    phases[0] / 1_000_000, phases[1] / 1_000_000);
            long d1 = System.nanoTime();
            int mails = smtp.getReceivedMessages().length;
            double seconds = (d1 - d0) / 1e9;
            List<dev.mamori.notification.Delivery> log = NotificationFixture.asOperator(() -> f.notifications.deliveries(null, 500));
            long failed = log.stream().filter(d -> d.state() == DeliveryState.FAILED).count();
            System.out.printf("FIGURE delivered %d e-mails and %d in-app notices (%d attempts, %d failed in the last 500) in %.1f s: "
                    + "%.0f e-mails/s, %.0f deliveries/s%n", mails, attempts - mails, attempts, failed, seconds, mails / seconds,
                    attempts / seconds);
            System.out.printf("FIGURE notice clock met for all: %s%n", NotificationFixture.asOperator(() -> f.incidents.find(incident.id())
                    .orElseThrow()).clocks().get(0).state());
            if (mails != n) {
                throw new AssertionError("expected " + n + " e-mails, got " + mails);
            }
        } finally {
            smtp.stop();
            // the pool's connections go before the database is dropped
            pool.close();
            f.close();
        }
    }
}
