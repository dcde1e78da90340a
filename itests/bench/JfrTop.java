import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the sign-in's CPU beyond the hash goes ({@code itests/bench/keycloak.sh}): reads the
 * {@code jdk.ExecutionSample} events of a JFR recording of the server and prints, for the samples
 * that are not in bcrypt (no frame of {@code org.bouncycastle.crypto.generators.(OpenBSD)BCrypt}):
 * <ul>
 * <li>{@code SELF}: top frames grouped by package (where the CPU is spent);</li>
 * <li>{@code INCL}: share of samples with at least one frame of a "component" (package prefix
 * below, each counted once per sample): what that layer costs with everything it calls;</li>
 * <li>{@code MAMORI}: the innermost {@code dev.mamori} method of each sample: which of Mamori's
 * methods the time is spent for.</li>
 * </ul>
 * {@code java JfrTop.java FILE [TOP]}; percentages are of all non-hash samples.
 */
public final class JfrTop {
    private JfrTop() {
    }

    private static final List<String> COMPONENTS = List.of("dev.mamori.auth", "dev.mamori.platform", "dev.mamori.tenant", "dev.mamori",
            "org.h2", "org.eclipse.persistence", "org.hibernate", "org.apache.cxf", "org.eclipse.jetty", "org.ops4j.pax.web",
            "com.fasterxml.jackson", "sun.security.ssl", "com.sun.crypto.provider", "sun.security", "org.apache.shiro", "org.passay",
            "org.apache.aries", "org.apache.felix", "org.osgi", "org.flywaydb", "java.util.regex", "java.text", "org.apache.commons.dbcp2",
            "org.postgresql", "jdk.internal.event", "java.util.logging", "org.ops4j.pax.logging", "org.apache.logging", "org.slf4j");

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> selfMethod = new HashMap<>();
        Map<String, Integer> incl = new LinkedHashMap<>();
        Map<String, Integer> mamori = new HashMap<>();
        int hash = 0;
        int other = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            boolean inHash = false;
            for (RecordedFrame f : frames) {
                String c = type(f);
                if (c.equals("org.bouncycastle.crypto.generators.BCrypt") || c.equals("org.bouncycastle.crypto.generators.OpenBSDBCrypt")) {
                    inHash = true;
                    break;
                }
            }
            if (inHash) {
                hash++;
                continue;
            }
            other++;
            if (!frames.isEmpty()) {
                RecordedFrame f = frames.get(0);
                self.merge(pkg(type(f)), 1, Integer::sum);
                selfMethod.merge(name(f), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            String innermost = null;
            for (RecordedFrame f : frames) {
                String c = type(f);
                for (String comp : COMPONENTS) {
                    if (c.startsWith(comp + ".") && seen.add(comp)) {
                        incl.merge(comp, 1, Integer::sum);
                    }
                }
                if (innermost == null && c.startsWith("dev.mamori.")) {
                    innermost = name(f);
                }
            }
            mamori.merge(innermost == null ? "(no dev.mamori frame)" : innermost, 1, Integer::sum);
        }
        System.out.printf("SAMPLES hash %d, other %d (%.1f %% of samples are not the hash)%n", hash, other, 100.0 * other / Math.max(1, hash + other));
        print("SELF package", self, other, top);
        print("SELF method", selfMethod, other, top);
        print("INCL component", incl, other, top + 10);
        print("MAMORI innermost method", mamori, other, top);
    }

    private static String type(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null || m.getType() == null ? "?" : m.getType().getName();
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "?" : type(f) + "." + m.getName();
    }

    private static String pkg(String type) {
        int i = type.lastIndexOf('.');
        return i < 0 ? type : type.substring(0, i);
    }

    private static void print(String title, Map<String, Integer> m, int total, int top) {
        m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%s %5.1f %%  %s%n", title, 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }
}
