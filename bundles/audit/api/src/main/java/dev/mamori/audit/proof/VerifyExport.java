package dev.mamori.audit.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline verifier: {@code java -jar dev.mamori.audit.api-<version>.jar <export.jsonl> --key
 * <verifierKey> [--key ...] [--checkpoint <file>]...}. Needs nothing but a JDK and this jar, so an
 * auditor can check a log without Mamori running. Exit status: 0 intact, 1 damaged, 2 usage or an
 * unreadable file. A key is required: the export names its own keys, but whoever altered the
 * export could have altered those too.
 */
public final class VerifyExport {
    static final String USAGE = """
            usage: java -jar dev.mamori.audit.api-<version>.jar <export.jsonl> --key <verifierKey> [--key <verifierKey>]... [--checkpoint <file>]...
              Verifies every entry of a Mamori audit log export against its signed checkpoints.
              --key <verifierKey>   a key the log's checkpoints may be signed with, <name>+<hash>+<base64>;
                                    required, taken from the operator, never from the export itself
              --checkpoint <file>   a signed checkpoint kept elsewhere (one note per file) that the log must contain
              --help                this text
            Prints OK <log> entries=<n> checkpoints=<m> size=<s> root=<base64> and exits 0,
            or DAMAGED <log> at <position>: <KIND> - <message> and exits 1; usage errors exit 2.
            """;

    private VerifyExport() {
    }

    /** @param args see {@link #USAGE} */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out  where the answer goes
     * @param err  where usage errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String export = null;
        List<String> keys = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            if (a.equals("--key") || a.equals("--checkpoint")) {
                if (++i >= args.length) {
                    return usage(err, a + " needs a value");
                }
                if (a.equals("--key")) {
                    keys.add(args[i]);
                } else {
                    try {
                        notes.add(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8));
                    } catch (IOException | RuntimeException e) {
                        err.println("cannot read checkpoint " + args[i] + ": " + e);
                        return 2;
                    }
                }
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option " + a);
            } else if (export != null) {
                return usage(err, "one export file only");
            } else {
                export = a;
            }
        }
        if (export == null) {
            return usage(err, "no export file");
        }
        if (keys.isEmpty()) {
            return usage(err, "--key is required: the export's own keys are never trusted");
        }
        try (InputStream in = Files.newInputStream(Path.of(export))) {
            LogVerifier.Result result = ExportVerifier.verify(in, keys, notes);
            out.println(result.summary());
            return result.ok() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("cannot verify " + export + ": " + e);
            return 2;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.print(USAGE);
        return 2;
    }
}
