package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("AUD-3 (issue #16): the offline verifier's command line - 0 intact, 1 damaged, 2 usage; a key is required")
class VerifyExportTest {
    private static final int N = 400;
    private static final TestLog LOG = new TestLog(5, N, 100, 1);

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    @DisplayName("an intact export prints OK with its log, counts, size and root and exits 0; a kept checkpoint counts as one more")
    void intact() throws Exception {
        Path export = write(LOG.export());
        Path kept = dir.resolve("kept.note");
        Files.writeString(kept, LOG.headNote, StandardCharsets.UTF_8);
        assertEquals(0, run(export.toString(), "--key", LOG.signer.verifierKey()), err.toString());
        String root = Base64.getEncoder().encodeToString(MerkleTree.root(LOG.leaves));
        assertEquals("OK " + LOG.log + " entries=" + N + " checkpoints=" + LOG.cps.size() + " size=" + N + " root=" + root + System.lineSeparator(),
                out.toString());
        out.reset();
        assertEquals(0, run("--key", LOG.signer.verifierKey(), export.toString(), "--checkpoint", kept.toString()));
        assertTrue(out.toString().contains(" checkpoints=" + (LOG.cps.size() + 1) + " "), out.toString());
    }

    @Test
    @DisplayName("a damaged export prints DAMAGED <log> at <position>: <KIND> - <message> and exits 1")
    void damaged() throws Exception {
        List<String> lines = new ArrayList<>(LOG.export());
        lines.removeIf(l -> l.startsWith(ExportLine.ENTRY) && ExportLine.entry(l).index() == 123);
        assertEquals(1, run(write(lines).toString(), "--key", LOG.signer.verifierKey()));
        assertTrue(out.toString().startsWith("DAMAGED " + LOG.log + " at 123: DELETED - "), out.toString());
        assertEquals(1, out.toString().lines().count());
    }

    @Test
    @DisplayName("no key, no file, an unknown option, a missing value or an unreadable file exit 2 with the usage; --help prints it and exits 0")
    void usage() throws Exception {
        Path export = write(LOG.export());
        assertEquals(2, run(export.toString()));
        assertTrue(err.toString().contains("--key is required"), err.toString());
        assertTrue(err.toString().contains("usage:"));
        assertEquals(2, run("--key", LOG.signer.verifierKey()));
        assertEquals(2, run(export.toString(), "--key"));
        assertEquals(2, run(export.toString(), "--key", LOG.signer.verifierKey(), "--verbose"));
        assertEquals(2, run(export.toString(), export.toString(), "--key", LOG.signer.verifierKey()));
        assertEquals(2, run(dir.resolve("missing.jsonl").toString(), "--key", LOG.signer.verifierKey()));
        assertEquals(2, run(export.toString(), "--key", LOG.signer.verifierKey(), "--checkpoint", dir.resolve("missing.note").toString()));
        assertEquals("", out.toString(), "nothing is claimed about a log on a usage error");
        assertEquals(0, run("--help"));
        assertTrue(out.toString().startsWith("usage: java -jar"));
    }

    private int run(String... args) {
        return VerifyExport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(List<String> lines) throws Exception {
        Path p = Files.createTempFile(dir, "export", ".jsonl");
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }
}
