package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.proof.LogVerifier.Damage;
import dev.mamori.audit.proof.LogVerifier.Result;
import dev.mamori.audit.proof.TestLog.Cp;
import dev.mamori.audit.proof.TestLog.Row;
import dev.mamori.audit.proof.TestLog.Signer;

@DisplayName("AUD-3 (issue #16): every kind of tampering is found at its first bad position, from the database rows and from an export alike")
class TamperingTest {
    private static final int N = 5000;
    private static final int TRIALS = 208;
    private static TestLog log;
    private static List<String> clean;
    private static Signer stranger;
    private static int[] lineOf;

    enum Tamper {
        NONE, EDIT_BYTES, EDIT_CONSISTENT, DELETE_GAP, DELETE_RENUMBER, INSERT_RENUMBER, SWAP, TRUNCATE_TAIL, FORGED_KEY, FORGED_ROOT,
        FORGED_SWAP, OTHER_LOG, MALFORMED
    }

    /** One trial: the tampered database, the same tampering done to the export's text, and what must be found. */
    private static final class Trial {
        final List<Row> rows = new ArrayList<>(log.rows);
        final List<Cp> cps = new ArrayList<>(log.cps);
        final List<String> lines = new ArrayList<>(clean);
        long declared = N;
        Damage kind;
        long position = -1;
    }

    @BeforeAll
    static void build() {
        log = new TestLog(16, N, 300, 1, false);
        clean = log.export();
        stranger = Signer.create(log.origin);
        lineOf = new int[N];
        for (int at = 1; at < clean.size(); at++) {
            if (clean.get(at).startsWith(ExportLine.ENTRY)) {
                lineOf[(int) ExportLine.entry(clean.get(at)).index()] = at;
            }
        }
    }

    @Test
    @DisplayName("208 seeded trials over 13 kinds (none, edits, deletions, insertions, swaps, a cut tail, forged checkpoints): kind and position exact, both paths agree")
    void randomTrials() {
        Map<Tamper, Integer> done = new EnumMap<>(Tamper.class);
        for (int t = 0; t < TRIALS; t++) {
            Tamper what = Tamper.values()[t % Tamper.values().length];
            Random r = new Random(1000 + t);
            Trial trial = tamper(what, r);
            List<String> externals = List.of(log.headNote);
            Result rows = log.verifyRows(trial.rows, trial.cps, externals, trial.declared);
            Result export = TestLog.verifyExport(trial.lines, externals, log.signer.verifierKey());
            String context = "trial " + t + " " + what + " expecting " + trial.kind + " at " + trial.position;
            check(trial, rows, context + ", rows: " + rows.summary());
            check(trial, export, context + ", export: " + export.summary());
            if (what == Tamper.NONE) {
                assertArrayEquals(MerkleTree.root(log.leaves), rows.root(), context);
                assertArrayEquals(MerkleTree.root(log.leaves), export.root(), context);
                assertEquals(N, rows.size());
                assertEquals(N, export.entriesChecked());
                assertEquals(log.cps.size() + 1, rows.checkpointsChecked(), "every checkpoint and the external one");
                assertEquals(log.cps.size() + 1, export.checkpointsChecked());
            }
            done.merge(what, 1, Integer::sum);
        }
        assertEquals(Tamper.values().length, done.size());
    }

    private static void check(Trial trial, Result result, String context) {
        assertEquals(trial.kind == null, result.ok(), context);
        assertEquals(trial.kind, result.kind(), context);
        assertEquals(trial.position, result.position(), context);
        assertEquals(log.log, result.log());
    }

    private static Trial tamper(Tamper what, Random r) {
        Trial t = new Trial();
        int i = r.nextInt(N - 1);
        switch (what) {
            case NONE -> {
            }
            case EDIT_BYTES -> {
                t.rows.set(i, new Row(i, edited(log.rows.get(i).canonical()), log.rows.get(i).stored()));
                // an export has no stored hash: there the readable text changes while the hashed bytes stay
                String line = t.lines.get(line(i));
                t.lines.set(line(i), line.contains("\"ok\":true") ? line.replace("\"ok\":true", "\"ok\":false") : line.replace("\"ok\":false", "\"ok\":true"));
                expect(t, Damage.EDITED, i);
            }
            case EDIT_CONSISTENT -> {
                byte[] e = edited(log.rows.get(i).canonical());
                t.rows.set(i, Row.of(i, e));
                t.lines.set(line(i), ExportWriter.entry(i, e));
                expect(t, Damage.EDITED, log.lastCheckpointAtOrBefore(i));
            }
            case DELETE_GAP -> {
                t.rows.remove(i);
                t.lines.remove(line(i));
                expect(t, Damage.DELETED, i);
            }
            case DELETE_RENUMBER -> {
                t.rows.remove(i);
                renumber(t, i, -1);
                t.lines.remove(line(i));
                expect(t, Damage.DELETED, i);
            }
            case INSERT_RENUMBER -> {
                i = r.nextInt(N);
                byte[] fake = CanonicalEntry.canonical(log.log, i, TestLog.event(r));
                renumber(t, i, +1);
                t.rows.add(i, Row.of(i, fake));
                t.lines.add(line(i), ExportWriter.entry(i, fake));
                expect(t, Damage.INSERTED, i);
            }
            case SWAP -> {
                int b = r.nextInt(3) == 0 ? i + 1 : i + 1 + r.nextInt(N - i - 1);
                Row ra = log.rows.get(i);
                Row rb = log.rows.get(b);
                t.rows.set(i, new Row(i, rb.canonical(), rb.stored()));
                t.rows.set(b, new Row(b, ra.canonical(), ra.stored()));
                t.lines.set(line(i), ExportWriter.entry(i, rb.canonical()));
                t.lines.set(line(b), ExportWriter.entry(b, ra.canonical()));
                expect(t, Damage.REORDERED, i);
            }
            case TRUNCATE_TAIL -> {
                long last = log.cps.get(log.cps.size() - 1).size();
                int c = (int) (last + r.nextInt((int) (N - last)));
                t.rows.subList(c, N).clear();
                t.declared = c;
                t.lines.subList(line(c), line(N - 1) + 1).clear();
                t.lines.set(t.lines.size() - 1, ExportWriter.trailer(c, c));
                expect(t, Damage.TRUNCATED, c);
            }
            case FORGED_KEY, FORGED_ROOT -> {
                int k = r.nextInt(log.cps.size());
                Cp cp = log.cps.get(k);
                String note = what == Tamper.FORGED_KEY
                        ? stranger.sign(cp.note().substring(0, cp.note().lastIndexOf("\n\n") + 1))
                        : cp.note().replace(Base64.getEncoder().encodeToString(Checkpoint.parse(text(cp)).root()),
                                Base64.getEncoder().encodeToString(MerkleTree.leafHash(new byte[] {(byte) k})));
                replaceNote(t, k, note);
                expect(t, Damage.CHECKPOINT_FORGED, cp.size());
            }
            case FORGED_SWAP -> {
                int k = r.nextInt(log.cps.size() - 1);
                replaceNote(t, k, log.cps.get(k + 1).note());
                replaceNote(t, k + 1, log.cps.get(k).note());
                expect(t, Damage.CHECKPOINT_FORGED, log.cps.get(k).size());
            }
            case OTHER_LOG -> {
                byte[] copied = CanonicalEntry.canonical(new UUID(r.nextLong(), r.nextLong()).toString(), i, TestLog.event(r));
                t.rows.set(i, Row.of(i, copied));
                t.lines.set(line(i), ExportWriter.entry(i, copied));
                expect(t, Damage.INSERTED, i);
            }
            case MALFORMED -> {
                byte[] c = log.rows.get(i).canonical();
                byte[] cut = java.util.Arrays.copyOf(c, c.length - 1);
                t.rows.set(i, Row.of(i, cut));
                t.lines.set(line(i), ExportWriter.entry(i, cut));
                expect(t, Damage.EDITED, i);
            }
            default -> throw new IllegalStateException();
        }
        return t;
    }

    private static void expect(Trial t, Damage kind, long position) {
        t.kind = kind;
        t.position = position;
    }

    /** @return the line of entry i in the clean export (lines before it keep their place in every tampering here) */
    private static int line(long i) {
        return lineOf[(int) i];
    }

    /** Shifts the rows and entry lines from index i on by delta, as a tamperer closing or opening a gap would. */
    private static void renumber(Trial t, int i, int delta) {
        for (int k = i; k < t.rows.size(); k++) {
            Row row = t.rows.get(k);
            if (row.index() > i || (delta > 0 && row.index() == i)) {
                t.rows.set(k, new Row(row.index() + delta, row.canonical(), row.stored()));
            }
        }
        for (int k = line(i); k < t.lines.size(); k++) {
            ExportLine.Entry e = ExportLine.entry(t.lines.get(k));
            if (e.error() == null && (e.index() > i || (delta > 0 && e.index() == i))) {
                t.lines.set(k, ExportWriter.entry(e.index() + delta, e.canonical()));
            }
        }
    }

    private static void replaceNote(Trial t, int k, String note) {
        Cp cp = log.cps.get(k);
        t.cps.set(k, new Cp(cp.size(), note));
        int at = t.lines.indexOf(ExportWriter.checkpoint(cp.size(), cp.note()));
        assertTrue(at > 0);
        t.lines.set(at, ExportWriter.checkpoint(cp.size(), note));
    }

    private static String text(Cp cp) {
        return cp.note().substring(0, cp.note().lastIndexOf("\n\n") + 1);
    }

    /** @return the entry with its "ok" flag flipped: still a well-formed entry of the same log and index */
    private static byte[] edited(byte[] canonical) {
        String s = new String(canonical, StandardCharsets.UTF_8);
        s = s.contains("\"ok\":true") ? s.replace("\"ok\":true", "\"ok\":false") : s.replace("\"ok\":false", "\"ok\":true");
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
