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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real distribution, unpacked into its own folder and run as an operator would: bin/start,
 * bin/stop, bin/mamori, kill -9.
 */
final class Distribution implements AutoCloseable {
    final Path home;
    final int httpsPort;
    final int sshPort;
    private Https https;
    private String serverOptions = "";

    private Distribution(Path home, int httpsPort, int sshPort) {
        this.home = home;
        this.httpsPort = httpsPort;
        this.sshPort = sshPort;
    }

    static Distribution unpack(String name) throws Exception {
        Path work = Paths.get(System.getProperty("mamori.it.work", "target/it-work"), name).toAbsolutePath();
        // a server a crashed run left running in this folder: it would be found instead of ours
        for (ProcessHandle leftover : serverProcesses(work)) {
            leftover.destroyForcibly();
            leftover.onExit().get(30, TimeUnit.SECONDS);
        }
        if (Files.exists(work)) {
            run(List.of("rm", "-rf", work.toString()), null);
        }
        Files.createDirectories(work);
        String tarball = System.getProperty("mamori.distribution");
        run(List.of("tar", "xzf", tarball, "-C", work.toString(), "--strip-components=1"), null);
        // free ports, so that a server on 8443/8101 (a developer's, or another run's) changes nothing here
        Distribution d = new Distribution(work, FreePorts.next(), FreePorts.next());
        d.setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", Integer.toString(d.httpsPort));
        d.setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(FreePorts.next()));
        d.setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(d.sshPort));
        // demonstrates that the kill -9 test can fail: -Dmamori.it.h2.writeDelay=500 restores H2's default
        String writeDelay = System.getProperty("mamori.it.h2.writeDelay");
        if (writeDelay != null && writeDelay.matches("\\d+")) {
            for (String ds : List.of("mamori", "mamori-pii")) {
                Path cfg = work.resolve("etc/org.ops4j.datasource-" + ds + ".cfg");
                Files.writeString(cfg, Files.readString(cfg).replace("WRITE_DELAY=0", "WRITE_DELAY=" + writeDelay));
            }
        }
        return d;
    }

    /** Replaces the line of one property of a shipped configuration file (it must be there). */
    void setProperty(String file, String key, String value) throws IOException {
        Path cfg = home.resolve(file);
        String text = Files.readString(cfg);
        String replaced = text.replaceAll("(?m)^" + Pattern.quote(key) + "\\s*=.*$", Matcher.quoteReplacement(key + " = " + value));
        if (replaced.equals(text)) {
            throw new IllegalStateException(key + " not in " + cfg);
        }
        Files.writeString(cfg, replaced);
    }

    /** JVM options for the server, from its next start on (Karaf's KARAF_OPTS). */
    void serverOptions(String options) {
        serverOptions = options;
    }

    /** Starts the server in the background; returns once bin/start has returned. */
    void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/start").toString()).directory(home.toFile());
        pb.environment().put("KARAF_OPTS", serverOptions);
        run(pb);
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
            https = Https.trusting(home.resolve("etc/mamori-tls.p12"), pw.toCharArray(), "https://localhost:" + httpsPort);
        }
        return https;
    }

    /** @return the server JVM of this folder: never bin/client, bin/stop or a script around them */
    Optional<ProcessHandle> process() {
        List<ProcessHandle> servers = serverProcesses(home);
        if (servers.size() > 1) {
            throw new IllegalStateException("more than one server JVM runs from " + home + ": " + servers);
        }
        return servers.stream().findFirst();
    }

    /** JVMs whose main class is Karaf's server launcher and whose karaf.base is exactly {@code home}. */
    private static List<ProcessHandle> serverProcesses(Path home) {
        String base = "-Dkaraf.base=" + home;
        return ProcessHandle.allProcesses().filter(ph -> {
            List<String> args = List.of(ph.info().arguments().orElse(new String[0]));
            return args.contains(base) && args.contains("org.apache.karaf.main.Main");
        }).collect(java.util.stream.Collectors.toList());
    }

    /**
     * kill -9 of the server JVM: no shutdown hooks, no flushing.
     *
     * @return its pid
     */
    long kill9() throws Exception {
        ProcessHandle ph = process().orElseThrow(() -> new IllegalStateException("server not running"));
        run(List.of("kill", "-9", Long.toString(ph.pid())), null);
        Wait.until("server process gone", Duration.ofSeconds(20), () -> !ph.isAlive());
        return ph.pid();
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
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return run(pb);
    }

    private static String run(ProcessBuilder pb) throws Exception {
        List<String> command = pb.command();
        Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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
