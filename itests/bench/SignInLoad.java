import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Load driver of the sign-in benchmark (README: "Figures", run by {@code itests/bench/signin.sh}).
 * One file, no dependencies: {@code java itests/bench/SignInLoad.java <mode> [--option value]...}
 *
 * <ul>
 * <li>{@code reset --base URL --tenant T --tokens FILE --password P}: sets the password of every
 * user whose reset token is a line of FILE ({@code POST /api/v1/auth/password-reset}).</li>
 * <li>{@code load --base URL --tenant T --logins FILE --password P --count N --clients C
 * [--pid PID --clk-tck HZ]}: N password sign-ins (bearer sessions) by C concurrent clients over the
 * logins of FILE, round robin; every one must answer 200 AUTHENTICATED. With a pid, the server
 * JVM's CPU time (utime + stime of /proc/PID/stat) is read just before the first request and just
 * after the last answer. With {@code --bcrypt-port} (the port of {@code BcryptCpuAgent} in the
 * server, keycloak.sh), the hash's own CPU time as the server measured it is read at the same two
 * moments, and the CPU per sign-in beyond the hash follows without an estimate.</li>
 * <li>{@code latency --base URL --tenant T --logins FILE --pairs N}: N pairs of failed sign-ins, one
 * client, one request at a time: an unknown login and a known login with a wrong password, in a
 * random order within each pair, so that drift in the machine's load hits both alike. Both must
 * answer 401.</li>
 * <li>{@code hash --password P [--iterations N] [--cost C]}: CPU time of one bcrypt check as the
 * server makes it ({@code OpenBSDBCrypt.checkPassword}), single thread, after a warm-up; needs
 * Bouncy Castle's bcprov on the class path ({@code java -cp bcprov.jar SignInLoad.java hash ...}),
 * loaded reflectively so that the other modes need nothing.</li>
 * </ul>
 * Results are printed as {@code RESULT key=value} lines for the script; anything unexpected ends
 * the program with a non-zero exit code.
 */
public final class SignInLoad {
    private SignInLoad() {
    }

    public static void main(String[] args) {
        // System.exit either way: a failed worker must not leave pool or HttpClient threads keeping
        // the JVM (and so the benchmark script) alive
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: SignInLoad reset|load|latency|hash [--option value]...");
            }
            Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
            switch (args[0]) {
                case "reset" -> reset(o);
                case "load" -> load(o);
                case "latency" -> latency(o);
                case "hash" -> hash(o);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value at " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    private static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    /** One client per worker: HTTP/1.1 with keep-alive, so each worker reuses one TLS connection. */
    private static HttpClient client() throws Exception {
        // the server's certificate is self-signed (made at first start): trust anything, it is a benchmark
        // (an extended trust manager, so that JSSE adds no host name check of its own around it)
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> post(HttpClient http, String base, String path, String json) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    private static String login(String tenant, String login, String password) {
        return "{\"tenant\":" + quote(tenant) + ",\"login\":" + quote(login) + ",\"password\":" + quote(password)
                + ",\"session\":\"bearer\"}";
    }

    private static List<String> lines(String file) throws IOException {
        List<String> l = new ArrayList<>();
        for (String s : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
            if (!s.isBlank()) {
                l.add(s.trim());
            }
        }
        if (l.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return l;
    }

    // ---- modes --------------------------------------------------------------------------------

    private static void reset(Map<String, String> o) throws Exception {
        String base = need(o, "base");
        HttpClient http = client();
        int done = 0;
        for (String token : lines(need(o, "tokens"))) {
            String body = "{\"tenant\":" + quote(need(o, "tenant")) + ",\"token\":" + quote(token) + ",\"password\":"
                    + quote(need(o, "password")) + "}";
            HttpResponse<String> r = post(http, base, "/api/v1/auth/password-reset", body);
            if (r.statusCode() != 204) {
                throw new IllegalStateException("password reset answered " + r.statusCode() + ": " + r.body());
            }
            done++;
        }
        System.out.println("RESULT reset=" + done);
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void load(Map<String, String> o) throws Exception {
        String base = need(o, "base");
        String tenant = need(o, "tenant");
        String password = need(o, "password");
        List<String> logins = lines(need(o, "logins"));
        int count = Integer.parseInt(need(o, "count"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "2"));
        String pid = o.get("pid");
        long hz = Long.parseLong(o.getOrDefault("clk-tck", "100"));
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[count];
        List<HttpClient> https = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            HttpClient http = client();
            // open the connection before the clock starts (the TLS handshake is not a sign-in)
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(), HttpResponse.BodyHandlers.discarding());
            https.add(http);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        String bcryptPort = o.get("bcrypt-port");
        long[] bcrypt0 = bcryptPort == null ? null : bcryptCpu(bcryptPort);
        long ticks0 = pid == null ? 0 : cpuTicks(pid);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (HttpClient http : https) {
            workers.add(pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < count;) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = post(http, base, "/api/v1/auth/login", login(tenant, logins.get(n % logins.size()), password));
                    latencies[n] = System.nanoTime() - s;
                    if (r.statusCode() != 200 || !r.body().contains("\"AUTHENTICATED\"")) {
                        throw new IllegalStateException("sign-in " + n + " answered " + r.statusCode() + ": " + r.body());
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long wall = System.nanoTime() - t0;
        long ticks1 = pid == null ? 0 : cpuTicks(pid);
        long[] bcrypt1 = bcryptPort == null ? null : bcryptCpu(bcryptPort);
        double seconds = wall / 1e9;
        System.out.printf("RESULT signins=%d%n", count);
        System.out.printf("RESULT clients=%d%n", clients);
        System.out.printf("RESULT wall_s=%.2f%n", seconds);
        System.out.printf("RESULT signins_per_wall_s=%.2f%n", count / seconds);
        System.out.printf("RESULT latency_p50_ms=%.1f%n", percentile(latencies, 50) / 1e6);
        System.out.printf("RESULT latency_p90_ms=%.1f%n", percentile(latencies, 90) / 1e6);
        if (pid != null) {
            double cpu = (ticks1 - ticks0) / (double) hz;
            System.out.printf("RESULT server_cpu_s=%.2f%n", cpu);
            System.out.printf("RESULT signins_per_cpu_s=%.3f%n", count / cpu);
            System.out.printf("RESULT cpu_ms_per_signin=%.3f%n", cpu * 1000 / count);
            if (bcryptPort != null) {
                // the hash as the server itself timed it (BcryptCpuAgent): CPU of the threads that ran it
                double hash = (bcrypt1[1] - bcrypt0[1]) / 1e9;
                System.out.printf("RESULT bcrypt_calls=%d%n", bcrypt1[0] - bcrypt0[0]);
                System.out.printf("RESULT bcrypt_ms_per_call=%.3f%n", hash * 1000 / Math.max(1, bcrypt1[0] - bcrypt0[0]));
                System.out.printf("RESULT bcrypt_ms_per_signin=%.3f%n", hash * 1000 / count);
                System.out.printf("RESULT nonhash_ms_per_signin=%.3f%n", (cpu - hash) * 1000 / count);
            }
        }
    }

    /** The counters of BcryptCpuAgent in the server: {calls, CPU ns}. */
    private static long[] bcryptCpu(String port) throws IOException {
        try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), Integer.parseInt(port))) {
            String[] f = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        }
    }

    private static void latency(Map<String, String> o) throws Exception {
        String base = need(o, "base");
        String tenant = need(o, "tenant");
        List<String> logins = lines(need(o, "logins"));
        int pairs = Integer.parseInt(need(o, "pairs"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "50"));
        String wrong = o.getOrDefault("wrong-password", "Wrong-Pass-2026x");
        HttpClient http = client();
        long[] unknown = new long[pairs];
        long[] wrongPassword = new long[pairs];
        for (int i = -warmup; i < pairs; i++) {
            boolean unknownFirst = ThreadLocalRandom.current().nextBoolean();
            for (int k = 0; k < 2; k++) {
                boolean isUnknown = unknownFirst == (k == 0);
                // a fresh unknown login every time; the wrong passwords go round the known logins,
                // so that no account comes near the lockout threshold the script configured
                String who = isUnknown ? "nobody-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                        : logins.get(Math.floorMod(i, logins.size()));
                long s = System.nanoTime();
                HttpResponse<String> r = post(http, base, "/api/v1/auth/login", login(tenant, who, wrong));
                long d = System.nanoTime() - s;
                if (r.statusCode() != 401) {
                    throw new IllegalStateException((isUnknown ? "unknown user" : "wrong password") + " answered " + r.statusCode() + ": " + r.body());
                }
                if (i >= 0) {
                    (isUnknown ? unknown : wrongPassword)[i] = d;
                }
            }
        }
        double u50 = percentile(unknown, 50) / 1e6;
        double w50 = percentile(wrongPassword, 50) / 1e6;
        System.out.printf("RESULT pairs=%d%n", pairs);
        System.out.printf("RESULT unknown_p50_ms=%.2f%n", u50);
        System.out.printf("RESULT unknown_p90_ms=%.2f%n", percentile(unknown, 90) / 1e6);
        System.out.printf("RESULT wrong_p50_ms=%.2f%n", w50);
        System.out.printf("RESULT wrong_p90_ms=%.2f%n", percentile(wrongPassword, 90) / 1e6);
        System.out.printf("RESULT unknown_over_wrong_p50=%.3f%n", u50 / w50);
    }

    private static void hash(Map<String, String> o) throws Exception {
        int iterations = Integer.parseInt(o.getOrDefault("iterations", "40"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "20"));
        int cost = Integer.parseInt(o.getOrDefault("cost", "11"));
        byte[] password = need(o, "password").getBytes(StandardCharsets.UTF_8);
        Class<?> bcrypt = Class.forName("org.bouncycastle.crypto.generators.OpenBSDBCrypt");
        Method generate = bcrypt.getMethod("generate", String.class, byte[].class, byte[].class, int.class);
        Method check = bcrypt.getMethod("checkPassword", String.class, byte[].class);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = (String) generate.invoke(null, "2b", password, salt, cost);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            if (!(Boolean) check.invoke(null, hash, password)) {
                throw new IllegalStateException("bcrypt check failed");
            }
            if (i >= 0) {
                cpu[i] = mx.getCurrentThreadCpuTime() - c0;
            }
        }
        // thread CPU time, not wall time: other processes on the machine delay a check but do not
        // make it cost more CPU; the median resists the odd preempted or cache-cold one
        System.out.printf("RESULT hash_cost=%d%n", cost);
        System.out.printf("RESULT hash_p50_ms=%.2f%n", percentile(cpu, 50) / 1e6);
        System.out.printf("RESULT hash_min_ms=%.2f%n", percentile(cpu, 0) / 1e6);
        System.out.printf("RESULT hash_mean_ms=%.2f%n", Arrays.stream(cpu).average().orElse(0) / 1e6);
    }

    private static long percentile(long[] values, int p) {
        long[] v = values.clone();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }
}
