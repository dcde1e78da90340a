import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Keycloak side of the side-by-side benchmark ({@code itests/bench/keycloak.sh}). One file, no
 * dependencies: {@code java itests/bench/KeycloakLoad.java <mode> [--option value]...}
 *
 * <ul>
 * <li>{@code setup --admin-base URL --admin U --admin-password P --realm R --client C --users N
 * --password PW}: through the admin REST API (token of the bootstrap admin from realm
 * {@code master}, client {@code admin-cli}), creates realm R with the password policy
 * {@code hashAlgorithm(pbkdf2-sha256) and hashIterations(1)} (a free hash: Keycloak's CPU per
 * sign-in is then all overhead), brute-force detection and events off, a public client C with
 * direct access grants only, and users {@code bench-1..N} with password PW and a complete profile
 * (e-mail, names, verified), so that no required action stops a direct grant.</li>
 * <li>{@code load --base URL --realm R --client C --users N --password PW --count N --clients C
 * [--pid PID --clk-tck HZ]}: N direct-grant sign-ins ({@code grant_type=password} on the token
 * endpoint) by C concurrent clients over kept-alive connections, round robin over the users;
 * every one must answer 200 with an access token. With a pid, the server JVM's CPU time is read
 * just before the first request and just after the last answer, as {@code SignInLoad} does.</li>
 * </ul>
 * Results are {@code RESULT key=value} lines; anything unexpected ends the program with a non-zero
 * exit code (and System.exit, so that no pool thread keeps the JVM alive).
 */
public final class KeycloakLoad {
    private KeycloakLoad() {
    }

    public static void main(String[] args) {
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: KeycloakLoad setup|load [--option value]...");
            }
            Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
            switch (args[0]) {
                case "setup" -> setup(o);
                case "load" -> load(o);
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

    /** HTTP/1.1 with keep-alive; trusts any certificate (the benchmark's own self-signed one). */
    private static HttpClient client() throws Exception {
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

    private static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String type, String body, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int... codes) {
        for (int c : codes) {
            if (r.statusCode() == c) {
                return r;
            }
        }
        throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String token(HttpResponse<String> r) {
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no access token in " + r.body());
        }
        return m.group(1);
    }

    private static void setup(Map<String, String> o) throws Exception {
        String base = need(o, "admin-base");
        String realm = need(o, "realm");
        String client = need(o, "client");
        int users = Integer.parseInt(need(o, "users"));
        String password = need(o, "password");
        HttpClient http = client();
        String admin = token(expect(send(http, "POST", base + "/realms/master/protocol/openid-connect/token", "application/x-www-form-urlencoded",
                form("grant_type", "password", "client_id", "admin-cli", "username", need(o, "admin"), "password", need(o, "admin-password")), null), 200));
        String json = "application/json";
        // The realm: a free hash; brute-force detection and (admin) events off, so that neither
        // a failure counter nor an event store is written per sign-in; everything else default.
        expect(send(http, "POST", base + "/admin/realms", json, "{\"realm\":" + quote(realm) + ",\"enabled\":true"
                + ",\"passwordPolicy\":\"hashAlgorithm(pbkdf2-sha256) and hashIterations(1)\""
                + ",\"bruteForceProtected\":false,\"eventsEnabled\":false,\"adminEventsEnabled\":false}", admin), 201);
        expect(send(http, "POST", base + "/admin/realms/" + realm + "/clients", json, "{\"clientId\":" + quote(client)
                + ",\"enabled\":true,\"publicClient\":true,\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}", admin), 201);
        for (int i = 1; i <= users; i++) {
            String u = "bench-" + i;
            expect(send(http, "POST", base + "/admin/realms/" + realm + "/users", json, "{\"username\":" + quote(u) + ",\"enabled\":true"
                    + ",\"email\":" + quote(u + "@example.com") + ",\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":" + quote("User " + i)
                    + ",\"credentials\":[{\"type\":\"password\",\"value\":" + quote(password) + ",\"temporary\":false}]}", admin), 201);
        }
        // what the realm really runs with, for the report
        String r = expect(send(http, "GET", base + "/admin/realms/" + realm, null, null, admin), 200).body();
        for (String key : List.of("passwordPolicy", "bruteForceProtected", "eventsEnabled", "adminEventsEnabled", "accessTokenLifespan",
                "ssoSessionIdleTimeout")) {
            Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\"[^\"]*\"|[^,}]+)").matcher(r);
            System.out.println("RESULT realm_" + key + "=" + (m.find() ? m.group(1) : "(absent)"));
        }
        System.out.println("RESULT users=" + users);
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void load(Map<String, String> o) throws Exception {
        String url = need(o, "base") + "/realms/" + need(o, "realm") + "/protocol/openid-connect/token";
        String client = need(o, "client");
        String password = need(o, "password");
        int users = Integer.parseInt(need(o, "users"));
        int count = Integer.parseInt(need(o, "count"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "3"));
        String pid = o.get("pid");
        long hz = Long.parseLong(o.getOrDefault("clk-tck", "100"));
        List<HttpClient> https = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            HttpClient http = client();
            // open the kept-alive connection before the clock starts (the handshake is not a sign-in)
            expect(send(http, "GET", need(o, "base") + "/realms/" + need(o, "realm"), null, null, null), 200);
            https.add(http);
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long ticks0 = pid == null ? 0 : cpuTicks(pid);
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (HttpClient http : https) {
                workers.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < count;) {
                        HttpResponse<String> r = send(http, "POST", url, "application/x-www-form-urlencoded",
                                form("grant_type", "password", "client_id", client, "username", "bench-" + (n % users + 1), "password", password), null);
                        if (r.statusCode() != 200 || !r.body().contains("\"access_token\"")) {
                            throw new IllegalStateException("sign-in " + n + " answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            long wall = System.nanoTime() - t0;
            long ticks1 = pid == null ? 0 : cpuTicks(pid);
            System.out.printf("RESULT signins=%d%n", count);
            System.out.printf("RESULT signins_per_wall_s=%.2f%n", count / (wall / 1e9));
            if (pid != null) {
                double cpu = (ticks1 - ticks0) / (double) hz;
                System.out.printf("RESULT server_cpu_s=%.2f%n", cpu);
                System.out.printf("RESULT cpu_ms_per_signin=%.3f%n", cpu * 1000 / count);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
