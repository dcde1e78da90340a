package dev.mamori.itests;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real distribution, unpacked into its own folder and run as an operator would: bin/start,
 * bin/stop, bin/mamori, kill -9.
 */
final class Distribution implements AutoCloseable {
    final Path home;
    private Https https;

    private Distribution(Path home) {
        this.home = home;
    }

    static Distribution unpack(String name) throws Exception {
        Path work = Paths.get(System.getProperty("mamori.it.work", "target/it-work"), name).toAbsolutePath();
        if (Files.exists(work)) {
            run(List.of("rm", "-rf", work.toString()), null);
        }
        Files.createDirectories(work);
        String tarball = System.getProperty("mamori.distribution");
        run(List.of("tar", "xzf", tarball, "-C", work.toString(), "--strip-components=1"), null);
        // demonstrates that the kill -9 test can fail: -Dmamori.it.h2.writeDelay=500 restores H2's default
        String writeDelay = System.getProperty("mamori.it.h2.writeDelay");
        if (writeDelay != null && writeDelay.matches("\\d+")) {
            for (String ds : List.of("mamori", "mamori-pii")) {
                Path cfg = work.resolve("etc/org.ops4j.datasource-" + ds + ".cfg");
                Files.writeString(cfg, Files.readString(cfg).replace("WRITE_DELAY=0", "WRITE_DELAY=" + writeDelay));
            }
        }
        return new Distribution(work);
    }

    /** Starts the server in the background; returns once bin/start has returned. */
    void start() throws Exception {
        run(List.of(home.resolve("bin/start").toString()), home);
        https = null;
    }

    /** @return milliseconds from now until /api/v1/health answered 200 */
    long awaitHealthy(Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        Wait.until("health 200 of " + home, timeout, () -> client().get("/api/v1/health").statusCode() == 200);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    Https client() throws Exception {
        if (https == null) {
            Path cfg = home.resolve("etc/org.ops4j.pax.web.cfg");
            Properties p = new Properties();
            try (var in = Files.newInputStream(cfg)) {
                p.load(in);
            }
            String pw = p.getProperty("org.ops4j.pax.web.ssl.keystore.password");
            if (pw == null || !Files.exists(home.resolve("etc/mamori-tls.p12"))) {
                throw new IllegalStateException("TLS not configured yet");
            }
            https = Https.trusting(home.resolve("etc/mamori-tls.p12"), pw.toCharArray(), "https://localhost:8443");
        }
        return https;
    }

    Optional<ProcessHandle> process() {
        String marker = "-Dkaraf.base=" + home;
        return ProcessHandle.allProcesses().filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst();
    }

    /** kill -9: no shutdown hooks, no flushing. */
    void kill9() throws Exception {
        ProcessHandle ph = process().orElseThrow(() -> new IllegalStateException("server not running"));
        run(List.of("kill", "-9", Long.toString(ph.pid())), null);
        Wait.until("server process gone", Duration.ofSeconds(20), () -> !ph.isAlive());
    }

    void stop() throws Exception {
        Optional<ProcessHandle> ph = process();
        if (ph.isPresent()) {
            run(List.of(home.resolve("bin/stop").toString()), home);
            try {
                Wait.until("server stopped", Duration.ofSeconds(40), () -> !ph.get().isAlive());
            } catch (AssertionError e) {
                ph.get().destroyForcibly();
            }
        }
    }

    /**
     * Runs shell commands through bin/mamori (no terminal, stdin at EOF as in CI), handing each
     * output line to {@code lines} as it arrives.
     *
     * @return exit code
     */
    int mamori(String command, Consumer<String> lines) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/mamori").toString(), command).directory(home.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.accept(line);
            }
        }
        return p.waitFor();
    }

    List<String> mamori(String command) throws Exception {
        List<String> out = new ArrayList<>();
        int rc = mamori(command, out::add);
        if (rc != 0) {
            throw new AssertionError("bin/mamori '" + command + "' exited " + rc + ": " + out);
        }
        return out;
    }

    static String run(List<String> command, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
