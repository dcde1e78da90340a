import java.io.IOException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Load driver of the records benchmark (issue #17; run by {@code itests/bench/records.sh}). One file,
 * no dependencies: {@code java itests/bench/RecordLoad.java <mode> [--option value]...}
 *
 * <ul>
 * <li>{@code setup --base URL --tenant T --token RESET --password P --out FILE}: the tenant's first admin
 * (made by {@code mamori:user-create}) sets its password from the reset token, signs in, enrols TOTP
 * and confirms it (RFC 6238, computed here), defines the category {@code bench} (a JSON Schema of
 * five typed properties), creates an employee, grants it {@code records:write:bench/*} and
 * {@code records:read:bench/*}, signs it in and writes its bearer token to FILE.</li>
 * <li>{@code load --base URL --token-file FILE --count N --clients C [--pid PID --clk-tck HZ]}: N
 * {@code POST /api/v1/records} of about 300 bytes of payload by C concurrent clients (kept-alive
 * connections); every one must answer 201. Prints records per second (wall), latency p50/p99 and,
 * with a pid, the server JVM's CPU per record.</li>
 * </ul>
 */
public final class RecordLoad {
    private static final Pattern STRING = Pattern.compile("\"([a-zA-Z]+)\"\\s*:\\s*\"([^\"]*)\"");

    private RecordLoad() {
    }

    public static void main(String[] args) {
        try {
            Map<String, String> o = new HashMap<>();
            for (int i = 1; i + 1 < args.length; i += 2) {
                o.put(args[i].substring(2), args[i + 1]);
            }
            switch (args.length == 0 ? "" : args[0]) {
                case "setup" -> setup(o);
                case "load" -> load(o);
                default -> throw new IllegalArgumentException("usage: RecordLoad setup|load [--option value]...");
            }
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static String need(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }

    static String str(String json, String key) {
        Matcher m = STRING.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(key)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no \"" + key + "\" in " + json);
    }

    private static HttpClient client() throws Exception {
        // the server's certificate is self-signed (made at first start): it is a benchmark on loopback
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
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<String> send(HttpClient http, String base, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static void setup(Map<String, String> o) throws Exception {
        String base = need(o, "base");
        String tenant = need(o, "tenant");
        String password = need(o, "password");
        HttpClient http = client();
        expect(send(http, base, "POST", "/api/v1/auth/password-reset", null, "{\"tenant\":\"" + tenant + "\",\"token\":\""
                + need(o, "token") + "\",\"password\":\"" + password + "\"}"), 204);
        String partial = str(expect(send(http, base, "POST", "/api/v1/auth/login", null, login(tenant, "benchadmin", password)), 200).body(),
                "token");
        byte[] secret = base32(str(expect(send(http, base, "POST", "/api/v1/auth/mfa/enroll", partial, null), 200).body(), "secret"));
        String admin = str(expect(send(http, base, "POST", "/api/v1/auth/mfa/enroll/confirm", partial, "{\"code\":\""
                + totp(secret, Instant.now().getEpochSecond() / 30) + "\"}"), 200).body(), "token");
        String schema = "{\"type\":\"object\",\"required\":[\"height\",\"weight\"],\"additionalProperties\":false,\"properties\":{"
                + "\"height\":{\"type\":\"number\"},\"weight\":{\"type\":\"number\"},\"bloodPressure\":{\"type\":\"string\","
                + "\"maxLength\":20},\"findings\":{\"type\":\"string\",\"maxLength\":1000},\"followUp\":{\"type\":\"boolean\"}}}";
        expect(send(http, base, "PUT", "/api/v1/categories/bench", admin, "{\"title\":\"Benchmark\",\"schema\":" + schema + "}"), 200);
        String user = "{\"loginName\":\"benchnurse\",\"employeeNumber\":\"N-1\",\"roles\":[\"employee\"],\"password\":\"" + password + "\"}";
        String id = str(expect(send(http, base, "POST", "/api/v1/users", admin, user), 201).body(), "id");
        expect(send(http, base, "PUT", "/api/v1/users/" + id + "/permissions", admin,
                "{\"permissions\":[\"records:write:bench/*\",\"records:read:bench/*\"]}"), 200);
        String nurse = str(expect(send(http, base, "POST", "/api/v1/auth/login", null, login(tenant, "benchnurse", password)), 200).body(),
                "token");
        Files.writeString(Path.of(need(o, "out")), nurse + "\n");
        System.out.println("RESULT setup=ok");
    }

    private static String login(String tenant, String login, String password) {
        return "{\"tenant\":\"" + tenant + "\",\"login\":\"" + login + "\",\"password\":\"" + password + "\",\"session\":\"bearer\"}";
    }

    private static void load(Map<String, String> o) throws Exception {
        String base = need(o, "base");
        String token = Files.readString(Path.of(need(o, "token-file"))).trim();
        int count = Integer.parseInt(need(o, "count"));
        int clients = Integer.parseInt(need(o, "clients"));
        String pid = o.get("pid");
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long cpu0 = pid == null ? 0 : cpuTicks(pid);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                HttpClient http = client();
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    // about 300 bytes of payload, as the issue's measurement and pgbench's rows
                    String body = "{\"category\":\"bench\",\"subject\":\"E-" + (i % 5000) + "\",\"scope\":\"dept/d" + (i % 7)
                            + "\",\"payload\":{\"height\":" + (150 + i % 40) + ".5,\"weight\":" + (45 + i % 50) + ".2,\"bloodPressure\":\"1"
                            + (10 + i % 40) + "/" + (70 + i % 20) + "\",\"findings\":\"" + "定期健康診断の結果、特記事項なし。経過観察の必要なし。".repeat(2)
                            + i + "\",\"followUp\":" + (i % 3 == 0) + "}}";
                    long s = System.nanoTime();
                    expect(send(http, base, "POST", "/api/v1/records", token, body), 201);
                    latencies.add(System.nanoTime() - s);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        long wall = System.nanoTime() - t0;
        long cpu1 = pid == null ? 0 : cpuTicks(pid);
        pool.shutdown();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("RESULT records_per_s=%.0f%n", count / (wall / 1e9));
        System.out.printf("RESULT latency_p50_ms=%.2f%n", sorted[sorted.length / 2] / 1e6);
        System.out.printf("RESULT latency_p99_ms=%.2f%n", sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
        if (pid != null) {
            int hz = Integer.parseInt(need(o, "clk-tck"));
            System.out.printf("RESULT cpu_ms_per_record=%.3f%n", (cpu1 - cpu0) * 1000.0 / hz / count);
        }
    }

    private static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String totp(byte[] key, long step) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
        int off = h[h.length - 1] & 0xf;
        int bin = ((h[off] & 0x7f) << 24) | ((h[off + 1] & 0xff) << 16) | ((h[off + 2] & 0xff) << 8) | (h[off + 3] & 0xff);
        return String.format("%06d", bin % 1_000_000);
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        String s = text.replace("=", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        byte[] out = new byte[s.length() * 5 / 8];
        long buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : s.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
